package io.coord.chaos.check;

import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultInterval;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Operation;
import io.coord.chaos.history.Times;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The availability figure: the fraction of fixed windows (100 ms by default), from the first
 * invocation to the last completion, in which at least one write ({@link F#WRITES}) was
 * acknowledged; and for each leader-loss fault, the write unavailability — from the fault's
 * start to the completion of the first write invoked at or after it and acknowledged.
 * Informational (pass) unless a maximum unavailability is set, then a leader loss followed by
 * longer unavailability (or no acknowledged write at all) fails. No acknowledged write in the
 * whole history is unknown.
 */
public final class AvailabilityChecker implements Checker {
  public static final String NAME = "availability";

  private final long window;
  private final Duration maxUnavailability;

  /**
   * @param window width of a window
   * @param maxUnavailability the longest acceptable write unavailability after a leader loss,
   *     or null for a figure without verdict
   */
  public AvailabilityChecker(Duration window, Duration maxUnavailability) {
    if (window.isZero() || window.isNegative()) {
      throw new IllegalArgumentException("window must be positive: " + window);
    }
    this.window = window.toNanos();
    this.maxUnavailability = maxUnavailability;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(History history) {
    return history.operations().stream().anyMatch(op -> F.WRITES.contains(op.f()));
  }

  /** Computes the figure. */
  public Availability measure(History history, FaultLog faults) {
    List<Operation> acked = history.operations(F.WRITES).stream().filter(Operation::isOk)
        .toList();
    long first = history.operations().stream().mapToLong(Operation::invokeTime).min().orElse(0);
    long last = history.operations().stream().mapToLong(Operation::completeTime)
        .filter(t -> t != Long.MAX_VALUE).max().orElse(first);
    long windows = Math.max(1, (last - first + window - 1) / window);
    boolean[] hasWrite = new boolean[(int) Math.min(windows, Integer.MAX_VALUE - 8)];
    for (Operation op : acked) {
      int index = (int) Math.min(hasWrite.length - 1, (op.completeTime() - first) / window);
      hasWrite[index] = true;
    }
    long withWrite = 0;
    for (boolean w : hasWrite) {
      withWrite += w ? 1 : 0;
    }
    List<Availability.Recovery> recoveries = new ArrayList<>();
    for (FaultInterval loss : faults.leaderLosses()) {
      long recovered = acked.stream().filter(op -> op.invokeTime() >= loss.start())
          .mapToLong(op -> op.completeTime() - loss.start()).min().orElse(Long.MAX_VALUE);
      recoveries.add(new Availability.Recovery(loss, recovered));
    }
    return new Availability(hasWrite.length, withWrite, recoveries);
  }

  @Override
  public CheckResult check(History history, FaultLog faults) {
    Availability availability = measure(history, faults);
    long origin = history.origin();
    StringBuilder summary = new StringBuilder(String.format(Locale.ROOT,
        "%.1f%% of %d windows of %s had an acknowledged write", 100 * availability.fraction(),
        availability.windows(), Times.duration(window)));
    List<Anomaly> anomalies = new ArrayList<>();
    for (Availability.Recovery recovery : availability.recoveries()) {
      FaultInterval fault = recovery.fault();
      summary.append("; ").append(fault.fault()).append(' ').append(fault.target()).append(" at ")
          .append(Times.relative(fault.start(), origin)).append(": writes unavailable ")
          .append(Times.duration(recovery.unavailableNanos()));
      if (maxUnavailability != null && recovery.unavailableNanos() > maxUnavailability.toNanos()) {
        anomalies.add(new Anomaly("unavailable-too-long", "after the " + fault.fault() + " of "
            + fault.target() + " at " + Times.relative(fault.start(), origin)
            + " no write was acknowledged for " + Times.duration(recovery.unavailableNanos())
            + " (limit " + Times.duration(maxUnavailability.toNanos()) + ")"));
      }
    }
    if (availability.windowsWithWrite() == 0) {
      return CheckResult.unknownUnlessFailed(NAME, summary.toString(),
          "no write was acknowledged", anomalies);
    }
    return CheckResult.of(NAME, summary.toString(), anomalies);
  }
}
