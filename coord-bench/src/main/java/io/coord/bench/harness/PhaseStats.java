package io.coord.bench.harness;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What completed during one phase (warm-up or measured window): latencies of successful
 * operations in microseconds, and failures counted by kind. Thread-safe.
 */
public final class PhaseStats {
  /** Latencies above a minute are clamped to it (and still counted). */
  static final long MAX_MICROS = 60_000_000L;

  private final ConcurrentHistogram latencies = new ConcurrentHistogram(MAX_MICROS, 3);
  private final LongAdder errors = new LongAdder();
  private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

  /** Records one successful operation that took {@code nanos}. */
  public void success(long nanos) {
    latencies.recordValue(Math.min(MAX_MICROS, Math.max(0, nanos / 1_000)));
  }

  /** Records one failed operation. */
  public void failure(Throwable error) {
    errors.increment();
    errorKinds.computeIfAbsent(kind(error), k -> new LongAdder()).increment();
  }

  public long successes() {
    return latencies.getTotalCount();
  }

  public long errors() {
    return errors.sum();
  }

  /** A copy of the latency histogram (microseconds). */
  public Histogram histogram() {
    return latencies.copy();
  }

  /** Failures by kind (exception class and short message). */
  public Map<String, Long> errorKinds() {
    Map<String, Long> copy = new TreeMap<>();
    errorKinds.forEach((k, v) -> copy.put(k, v.sum()));
    return copy;
  }

  /** A short, stable name for an error: its innermost cause's class and message start. */
  static String kind(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String message = cause.getMessage() == null ? "" : cause.getMessage();
    message = message.replaceAll("[0-9]+", "N");
    if (message.length() > 80) {
      message = message.substring(0, 80) + "...";
    }
    return cause.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }
}
