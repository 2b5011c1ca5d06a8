package io.coord.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcStatTest {
  // A real line's shape, with a command name holding spaces and parentheses.
  static final String PID_STAT = "4242 (java (coord) x) S 1 4242 4242 0 -1 4194560 81 0 0 0 "
      + "1234 567 0 0 20 0 45 0 98765 4096000000 50000 18446744073709551615 1 1 0 0 0 0 0 "
      + "4096 0 0 0 17 1 0 0 0 0 0";

  static final String PROC_STAT = """
      cpu  1000 50 400 8000 200 10 20 5 0 0
      cpu0 500 25 200 4000 100 5 10 3 0 0
      cpu1 500 25 200 4000 100 5 10 2 0 0
      intr 12345 0 0
      ctxt 999
      """;

  @Test
  void processTicksAreUtimePlusStimeCountedFromTheLastParenthesis() {
    assertThat(ProcStat.parseProcessTicks(PID_STAT)).isEqualTo(1234 + 567);
  }

  @Test
  void machineTicksExcludeIdleAndIoWait() {
    ProcStat.MachineTicks ticks = ProcStat.parseMachineTicks(PROC_STAT);

    assertThat(ticks.total()).isEqualTo(1000 + 50 + 400 + 8000 + 200 + 10 + 20 + 5);
    assertThat(ticks.busy()).isEqualTo(1000 + 50 + 400 + 10 + 20 + 5);
  }

  @Test
  void readsAFixtureProcDirectory(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("4242"));
    Files.writeString(proc.resolve("4242/stat"), PID_STAT);
    Files.writeString(proc.resolve("stat"), PROC_STAT);
    ProcStat stat = new ProcStat(proc);

    assertThat(stat.processTicks(4242)).hasValue(1801);
    assertThat(stat.processTicks(1)).isEmpty();
    assertThat(stat.cpuCount()).isEqualTo(2);
    assertThat(stat.machineTicks().busy()).isEqualTo(1485);
  }

  @Test
  void cpuMeterSplitsServersClientAndOthers(@TempDir Path proc) throws Exception {
    Files.createDirectories(proc.resolve("10"));
    Files.createDirectories(proc.resolve("20"));
    Files.writeString(proc.resolve("10/stat"), statWithTicks(10, 100, 0));
    Files.writeString(proc.resolve("20/stat"), statWithTicks(20, 0, 0));
    Files.writeString(proc.resolve("stat"), cpuLine(1000, 1000));
    CpuMeter meter = new CpuMeter(new ProcStat(proc), 20);
    meter.start(java.util.List.of(10L, 99L)); // 99 does not exist: ignored

    Files.writeString(proc.resolve("10/stat"), statWithTicks(10, 150, 50));
    Files.writeString(proc.resolve("20/stat"), statWithTicks(20, 20, 0));
    // Over the window the machine (2 cores) was busy 300 of 400 ticks: 150 % of one core.
    Files.writeString(proc.resolve("stat"), cpuLine(1300, 1100));
    CpuSample sample = meter.stop();

    assertThat(sample.machinePct()).isEqualTo(150.0);
    assertThat(sample.serversPct()).isPositive();
    assertThat(sample.serversPct() / sample.clientPct()).isCloseTo(5.0,
        org.assertj.core.api.Assertions.within(0.1));
    assertThat(sample.serverPids()).containsExactly(10L, 99L);
  }

  private static String statWithTicks(int pid, long utime, long stime) {
    return pid + " (x) S 1 1 1 0 -1 0 0 0 0 0 " + utime + " " + stime + " 0 0 20 0 1 0 1 1 1";
  }

  private static String cpuLine(long busyUser, long idle) {
    return "cpu  " + busyUser + " 0 0 " + idle + " 0 0 0 0 0 0\ncpu0 0 0 0 0\ncpu1 0 0 0 0\n";
  }
}
