package io.coord.client.discovery;

import io.coord.client.CoordException;
import java.util.List;

/**
 * Receives a service's instances and their changes from a {@link ServiceWatcher}, one call at a
 * time, in revision order.
 */
public interface ServiceWatchListener {
  /**
   * The complete set of instances at {@code revision}; replaces whatever was known. Comes
   * first, and again if the watch had to resume across compacted history.
   */
  void onSnapshot(long revision, List<ServiceInstance> instances);

  /** The changes of one revision (all of them, together). */
  void onEvents(long revision, List<InstanceEvent> events);

  /** The watch ended for good (a refused request); it will not resume. */
  default void onError(CoordException error) {}
}
