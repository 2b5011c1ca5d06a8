package io.coord.chaos.check;

import java.time.Duration;

/**
 * Bounds of one linearizability search (one key). A search that reaches either bound reports
 * {@link Verdict#UNKNOWN}, never a pass.
 *
 * @param maxStates distinct (linearized set, register value) configurations to explore at most
 * @param maxTime wall time to spend at most
 */
public record SearchBudget(long maxStates, Duration maxTime) {
  /**
   * Two million configurations (about 100 MB at most, see {@link ConfigurationSet}), one
   * minute.
   */
  public static final SearchBudget DEFAULT = new SearchBudget(2_000_000, Duration.ofMinutes(1));

  public SearchBudget {
    if (maxStates <= 0 || maxTime.isNegative() || maxTime.isZero()) {
      throw new IllegalArgumentException("budget must be positive: " + maxStates + " states, "
          + maxTime);
    }
  }
}
