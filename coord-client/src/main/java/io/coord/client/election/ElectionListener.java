package io.coord.client.election;

import io.coord.client.CoordException;

/**
 * Receives an election's changes, one call at a time, in order, on a thread of the client.
 */
public interface ElectionListener {
  /** The election changed (or, first, its current state). */
  void onEvent(ElectionEvent event);

  /** The observation ended for good (a refused request); not called after close. */
  default void onError(CoordException error) {}
}
