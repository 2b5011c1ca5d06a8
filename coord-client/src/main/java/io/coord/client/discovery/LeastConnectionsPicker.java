package io.coord.client.discovery;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Picks the healthy instance with the fewest uses in progress (ties to the lower id). Report
 * uses with {@link #acquire}, which counts the use until the returned {@link Lease} is
 * closed, or with {@link #started}/{@link #finished}. A plain {@link #pick} chooses the same way
 * without counting.
 *
 * <pre>{@code
 * try (LeastConnectionsPicker.Lease lease = picker.acquire(cache.healthy()).orElseThrow()) {
 *   call(lease.instance());
 * }
 * }</pre>
 */
public final class LeastConnectionsPicker implements InstancePicker {
  private final Map<String, Integer> inUse = new ConcurrentHashMap<>();

  LeastConnectionsPicker() {}

  @Override
  public synchronized Optional<ServiceInstance> pick(List<ServiceInstance> instances) {
    return instances.stream().filter(ServiceInstance::healthy)
        .min(Comparator.comparingInt((ServiceInstance i) -> inUse(i))
            .thenComparing(ServiceInstance::id));
  }

  /** Picks the least loaded healthy instance and counts one use of it until the lease closes. */
  public synchronized Optional<Lease> acquire(List<ServiceInstance> instances) {
    return pick(instances).map(instance -> {
      started(instance);
      return new Lease(instance);
    });
  }

  /** One use of {@code instance} started. */
  public void started(ServiceInstance instance) {
    inUse.merge(instance.id(), 1, Integer::sum);
  }

  /** One use of {@code instance} finished. */
  public void finished(ServiceInstance instance) {
    inUse.computeIfPresent(instance.id(), (id, n) -> n <= 1 ? null : n - 1);
  }

  /** Uses of {@code instance} in progress. */
  public int inUse(ServiceInstance instance) {
    return inUse.getOrDefault(instance.id(), 0);
  }

  /** One use of an instance; close it when the use ends (idempotent). */
  public final class Lease implements AutoCloseable {
    private final ServiceInstance instance;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Lease(ServiceInstance instance) {
      this.instance = instance;
    }

    public ServiceInstance instance() {
      return instance;
    }

    @Override
    public void close() {
      if (closed.compareAndSet(false, true)) {
        finished(instance);
      }
    }
  }
}
