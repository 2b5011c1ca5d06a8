package io.coord.client.discovery;

import java.util.List;

/** Told after a {@link ServiceCache} changed, with the healthy instances now known. */
@FunctionalInterface
public interface ServiceCacheListener {
  /**
   * The cache changed at {@code revision}.
   *
   * @param healthy the instances that are now PASSING or WARNING, sorted by id
   */
  void changed(long revision, List<ServiceInstance> healthy);
}
