package io.coord.chaos.check;

import io.coord.chaos.history.FaultInterval;
import java.util.List;

/**
 * The availability figure of a run.
 *
 * @param windows number of windows between the first invocation and the last completion
 * @param windowsWithWrite windows in which at least one write was acknowledged
 * @param recoveries for each leader-loss fault, how long writes were unavailable
 */
public record Availability(long windows, long windowsWithWrite, List<Recovery> recoveries) {

  /** The fraction of windows with an acknowledged write, 0 if there are none. */
  public double fraction() {
    return windows == 0 ? 0 : (double) windowsWithWrite / windows;
  }

  /**
   * Write unavailability after one leader loss.
   *
   * @param fault the leader-loss fault
   * @param unavailableNanos time from the fault's start to the completion of the first write
   *     invoked at or after it that was acknowledged; {@link Long#MAX_VALUE} if none was
   */
  public record Recovery(FaultInterval fault, long unavailableNanos) {
  }
}
