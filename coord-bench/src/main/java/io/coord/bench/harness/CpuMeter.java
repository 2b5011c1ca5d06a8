package io.coord.bench.harness;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Measures CPU over a window: call {@link #start} at its beginning and {@link #stop} at its
 * end. Server processes are sampled by PID; the client is this JVM.
 */
public final class CpuMeter {
  private final ProcStat proc;
  private final int cores;
  private final long clientPid;
  private List<Long> serverPids = List.of();
  private Map<Long, Long> serverStart = Map.of();
  private long clientStart;
  private ProcStat.MachineTicks machineStart;
  private long startNanos;

  public CpuMeter(ProcStat proc, long clientPid) {
    this.proc = proc;
    this.cores = Math.max(1, proc.cpuCount());
    this.clientPid = clientPid;
  }

  /** Takes the starting sample. */
  public void start(List<Long> serverPids) {
    this.serverPids = List.copyOf(serverPids);
    Map<Long, Long> ticks = new HashMap<>();
    for (long pid : serverPids) {
      proc.processTicks(pid).ifPresent(t -> ticks.put(pid, t));
    }
    this.serverStart = ticks;
    this.clientStart = proc.processTicks(clientPid).orElse(0);
    this.machineStart = proc.machineTicks();
    this.startNanos = System.nanoTime();
  }

  /** Takes the closing sample and returns the split. */
  public CpuSample stop() {
    double seconds = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
    long servers = 0;
    for (Map.Entry<Long, Long> e : serverStart.entrySet()) {
      OptionalLong now = proc.processTicks(e.getKey());
      if (now.isPresent()) {
        servers += now.getAsLong() - e.getValue();
      }
    }
    long client = proc.processTicks(clientPid).orElse(clientStart) - clientStart;
    ProcStat.MachineTicks machineEnd = proc.machineTicks();
    long totalDelta = machineEnd.total() - machineStart.total();
    double machinePct = totalDelta <= 0 ? 0
        : 100.0 * cores * (machineEnd.busy() - machineStart.busy()) / totalDelta;
    double serversPct = pct(servers, seconds);
    double clientPct = pct(client, seconds);
    return new CpuSample(round(serversPct), round(clientPct), round(machinePct),
        round(Math.max(0, machinePct - serversPct - clientPct)), serverPids);
  }

  private static double pct(long ticks, double seconds) {
    return 100.0 * ticks / ProcStat.TICKS_PER_SECOND / seconds;
  }

  private static double round(double v) {
    return Math.round(v * 10) / 10.0;
  }
}
