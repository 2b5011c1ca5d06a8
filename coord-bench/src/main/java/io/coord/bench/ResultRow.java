package io.coord.bench;

import io.coord.bench.harness.CpuSample;
import io.coord.bench.harness.IdleGate;
import io.coord.bench.harness.LoopResult;
import java.time.Instant;
import java.util.Map;

/**
 * One point of a benchmark: a system, a workload and a concurrency, as one JSON object in
 * {@code results.json} (field names in snake_case). {@code status} is "ok", "unsupported"
 * (the system or this build lacks the workload: no numbers) or "failed" (see {@code note}).
 *
 * @param opsPerSec successful operations per second of the measured window
 * @param cpu CPU split over the measured window, % of one core; null when not measured
 * @param gate how the idle gate before the point went; null when not gated
 * @param abandoned operations still unfinished when the drain timeout ran out
 */
public record ResultRow(String system, String workload, int concurrency, String status,
    long ops, long errors, Map<String, Long> errorKinds, double opsPerSec, double p50Ms,
    double p90Ms, double p99Ms, double p999Ms, double maxMs, double meanMs, double warmupS,
    double durationS, long abandoned, CpuSample cpu, IdleGate.Result gate, String note,
    String startedAt) {

  /** A measured point. */
  public static ResultRow measured(String system, Workload workload, int concurrency,
      LoopResult r, double warmupS, CpuSample cpu, IdleGate.Result gate, String note,
      Instant startedAt) {
    return new ResultRow(system, workload.cliName(), concurrency, "ok", r.successes(),
        r.errors(), r.errorKinds(), round(r.opsPerSecond(), 1), round(r.percentileMs(50), 3),
        round(r.percentileMs(90), 3), round(r.percentileMs(99), 3),
        round(r.percentileMs(99.9), 3), round(r.maxMs(), 3), round(r.meanMs(), 3),
        warmupS, round(r.seconds(), 2), r.abandoned(), cpu, gate, note,
        startedAt.toString());
  }

  /** A point that produced no numbers. */
  public static ResultRow withoutNumbers(String system, String workload, int concurrency,
      String status, String note) {
    return new ResultRow(system, workload, concurrency, status, 0, 0, Map.of(), 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, null, null, note, Instant.now().toString());
  }

  public boolean ok() {
    return "ok".equals(status);
  }

  static double round(double value, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(value * scale) / scale;
  }
}
