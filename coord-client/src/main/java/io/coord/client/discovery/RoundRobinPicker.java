package io.coord.client.discovery;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/** Each healthy instance in turn, in id order. */
final class RoundRobinPicker implements InstancePicker {
  private final AtomicLong next = new AtomicLong();

  @Override
  public Optional<ServiceInstance> pick(List<ServiceInstance> instances) {
    List<ServiceInstance> healthy = instances.stream().filter(ServiceInstance::healthy)
        .sorted(Comparator.comparing(ServiceInstance::id)).toList();
    if (healthy.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(healthy.get((int) Math.floorMod(next.getAndIncrement(), healthy.size())));
  }
}
