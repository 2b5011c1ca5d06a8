package io.coord.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Parses Linux {@code /proc} CPU counters: a process's user+system time from
 * {@code /proc/PID/stat} and the machine's busy and total time from {@code /proc/stat}, all
 * in clock ticks.
 */
public final class ProcStat {
  /** Clock ticks per second of the /proc counters ({@code getconf CLK_TCK}; 100 on Linux). */
  public static final int TICKS_PER_SECOND = 100;

  private final Path proc;

  public ProcStat(Path proc) {
    this.proc = proc;
  }

  /** Reads the real {@code /proc}. */
  public static ProcStat system() {
    return new ProcStat(Path.of("/proc"));
  }

  /**
   * Machine CPU time since boot, summed over every core.
   *
   * @param busy ticks not idle and not waiting for I/O
   * @param total all ticks
   */
  public record MachineTicks(long busy, long total) {}

  /** The utime+stime of process {@code pid}, or empty if it does not exist (any more). */
  public OptionalLong processTicks(long pid) {
    try {
      return OptionalLong.of(parseProcessTicks(Files.readString(proc.resolve(pid + "/stat"))));
    } catch (IOException | RuntimeException gone) {
      return OptionalLong.empty();
    }
  }

  /** The machine's counters now. */
  public MachineTicks machineTicks() {
    try {
      return parseMachineTicks(Files.readString(proc.resolve("stat")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + proc.resolve("stat"), e);
    }
  }

  /** Number of CPUs the machine has (the "cpuN" lines of /proc/stat). */
  public int cpuCount() {
    try {
      return (int) Files.readAllLines(proc.resolve("stat")).stream()
          .filter(l -> l.matches("cpu[0-9]+ .*")).count();
    } catch (IOException e) {
      return Runtime.getRuntime().availableProcessors();
    }
  }

  /**
   * utime + stime from a {@code /proc/PID/stat} line. The command name (field 2) is in
   * parentheses and may itself contain spaces and parentheses, so fields are counted from the
   * last ')'.
   */
  static long parseProcessTicks(String statLine) {
    int close = statLine.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("not a /proc/PID/stat line: " + statLine);
    }
    String[] fields = statLine.substring(close + 1).trim().split("\\s+");
    // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
  }

  /**
   * Busy and total ticks from the aggregate "cpu" line of {@code /proc/stat}: user nice
   * system idle iowait irq softirq steal (guest time is already inside user and nice).
   */
  static MachineTicks parseMachineTicks(String procStat) {
    for (String line : procStat.split("\n")) {
      if (line.startsWith("cpu ")) {
        String[] f = line.trim().split("\\s+");
        long total = 0;
        for (int i = 1; i <= Math.min(8, f.length - 1); i++) {
          total += Long.parseLong(f[i]);
        }
        long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
        return new MachineTicks(total - idle, total);
      }
    }
    throw new IllegalArgumentException("no aggregate cpu line in /proc/stat");
  }
}
