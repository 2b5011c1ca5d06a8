package io.coord.bench.harness;

import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The measured window of one closed-loop run.
 *
 * @param histogram latencies of successful operations completed in the window, microseconds
 * @param errors failed operations completed in the window
 * @param errorKinds those failures by kind
 * @param seconds length of the window
 * @param abandoned operations still unfinished when the drain timeout ran out
 * @param stoppedBy why issuing stopped: "time" or "count"
 */
public record LoopResult(Histogram histogram, long errors, Map<String, Long> errorKinds,
    double seconds, long abandoned, String stoppedBy) {

  public long successes() {
    return histogram.getTotalCount();
  }

  /** Successful operations per second of the window. */
  public double opsPerSecond() {
    return seconds <= 0 ? 0 : successes() / seconds;
  }

  /** The latency at {@code percentile} (0..100) in milliseconds, or 0 without samples. */
  public double percentileMs(double percentile) {
    return successes() == 0 ? 0 : histogram.getValueAtPercentile(percentile) / 1000.0;
  }

  public double maxMs() {
    return successes() == 0 ? 0 : histogram.getMaxValue() / 1000.0;
  }

  public double meanMs() {
    return successes() == 0 ? 0 : histogram.getMean() / 1000.0;
  }
}
