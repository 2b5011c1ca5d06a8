package io.coord.bench.harness;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Waits, for a bounded time, until the machine has been below a busy threshold for a few
 * consecutive seconds, so a point does not start while a co-tenant build is running. Whether
 * the wait timed out is part of the result row.
 */
public final class IdleGate {

  /**
   * @param waitedSeconds time spent waiting
   * @param timedOut true if the machine never became quiet enough in time
   * @param lastBusyPct machine busy in the last second sampled, % of one core
   */
  public record Result(double waitedSeconds, boolean timedOut, double lastBusyPct) {}

  private final ProcStat proc;
  private final double maxBusyPct;
  private final int quietSeconds;
  private final Duration maxWait;
  private final PrintStream progress;

  /**
   * @param maxBusyPct threshold in % of one core (the whole 2-core machine busy is 200)
   * @param quietSeconds consecutive one-second samples that must be below it
   * @param maxWait give up (and record it) after this long
   */
  public IdleGate(ProcStat proc, double maxBusyPct, int quietSeconds, Duration maxWait,
      PrintStream progress) {
    this.proc = proc;
    this.maxBusyPct = maxBusyPct;
    this.quietSeconds = quietSeconds;
    this.maxWait = maxWait;
    this.progress = progress;
  }

  public Result await() throws InterruptedException {
    int cores = Math.max(1, proc.cpuCount());
    long start = System.nanoTime();
    long deadline = start + maxWait.toNanos();
    int quiet = 0;
    double busy = 0;
    long nextNote = start + 10_000_000_000L;
    ProcStat.MachineTicks before = proc.machineTicks();
    while (quiet < quietSeconds) {
      if (System.nanoTime() >= deadline) {
        return new Result(seconds(start), true, Math.round(busy * 10) / 10.0);
      }
      Thread.sleep(1000);
      ProcStat.MachineTicks after = proc.machineTicks();
      long total = after.total() - before.total();
      busy = total <= 0 ? 0 : 100.0 * cores * (after.busy() - before.busy()) / total;
      before = after;
      quiet = busy <= maxBusyPct ? quiet + 1 : 0;
      if (progress != null && System.nanoTime() >= nextNote) {
        progress.printf(Locale.ROOT, "waiting for the machine to be idle: %.0f%% busy, "
            + "threshold %.0f%% of one core%n", busy, maxBusyPct);
        nextNote = System.nanoTime() + 10_000_000_000L;
      }
    }
    return new Result(seconds(start), false, Math.round(busy * 10) / 10.0);
  }

  private static double seconds(long start) {
    return Math.round((System.nanoTime() - start) / 1e8) / 10.0;
  }
}
