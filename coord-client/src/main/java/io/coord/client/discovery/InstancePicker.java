package io.coord.client.discovery;

import java.util.List;
import java.util.Optional;

/**
 * Chooses one instance for a request. Implementations skip unhealthy (CRITICAL) instances
 * whatever list they are given, and must be thread-safe. Plug in your own (zone affinity,
 * sticky sessions, ...) by implementing {@link #pick}.
 */
@FunctionalInterface
public interface InstancePicker {
  /** One healthy instance of {@code instances}, or empty if none is healthy. */
  Optional<ServiceInstance> pick(List<ServiceInstance> instances);

  /** Each healthy instance in turn, in id order. */
  static InstancePicker roundRobin() {
    return new RoundRobinPicker();
  }

  /**
   * Smooth weighted round-robin: over any run of picks each instance gets a share
   * proportional to its weight, interleaved (weights 5, 1, 1 give a a b a c a a, not a a a a a b
   * c). Deterministic.
   */
  static InstancePicker weightedRoundRobin() {
    return new WeightedRoundRobinPicker();
  }

  /** A uniformly random healthy instance. */
  static InstancePicker random() {
    return new RandomPicker();
  }

  /**
   * The healthy instance with the fewest uses in progress; the caller reports the start and
   * end of each use ({@link LeastConnectionsPicker#acquire}).
   */
  static LeastConnectionsPicker leastConnections() {
    return new LeastConnectionsPicker();
  }

  /** The healthy instances of {@code instances}, in their order. */
  static List<ServiceInstance> healthyOf(List<ServiceInstance> instances) {
    return instances.stream().filter(ServiceInstance::healthy).toList();
  }
}
