package io.coord.client.discovery;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Smooth weighted round-robin: every pick adds each candidate's weight to its running score,
 * takes the highest score (ties to the lower id) and subtracts the total weight from it. Over
 * any window of (total weight) picks each instance is chosen exactly weight times, spread out.
 * Scores are kept per instance id, so the set of instances may change between picks.
 */
final class WeightedRoundRobinPicker implements InstancePicker {
  private final Map<String, Long> scores = new HashMap<>();

  @Override
  public synchronized Optional<ServiceInstance> pick(List<ServiceInstance> instances) {
    List<ServiceInstance> healthy = instances.stream().filter(ServiceInstance::healthy)
        .sorted(Comparator.comparing(ServiceInstance::id)).toList();
    if (healthy.isEmpty()) {
      return Optional.empty();
    }
    scores.keySet().retainAll(healthy.stream().map(ServiceInstance::id).toList());
    long total = 0;
    ServiceInstance best = null;
    long bestScore = Long.MIN_VALUE;
    for (ServiceInstance instance : healthy) {
      int weight = Math.max(1, instance.weight());
      total += weight;
      long score = scores.merge(instance.id(), (long) weight, Long::sum);
      if (score > bestScore) {
        bestScore = score;
        best = instance;
      }
    }
    scores.merge(best.id(), -total, Long::sum);
    return Optional.of(best);
  }
}
