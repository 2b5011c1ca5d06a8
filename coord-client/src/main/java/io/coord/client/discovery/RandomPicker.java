package io.coord.client.discovery;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/** A uniformly random healthy instance. */
final class RandomPicker implements InstancePicker {
  @Override
  public Optional<ServiceInstance> pick(List<ServiceInstance> instances) {
    List<ServiceInstance> healthy = InstancePicker.healthyOf(instances);
    if (healthy.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(healthy.get(ThreadLocalRandom.current().nextInt(healthy.size())));
  }
}
