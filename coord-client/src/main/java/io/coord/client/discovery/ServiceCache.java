package io.coord.client.discovery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The instances of one service, kept current by a {@link ServiceWatcher}: a local, always
 * readable view for picking instances without a round trip. Create with
 * {@link DiscoveryClient#cache(String)}; close it to stop watching.
 *
 * <pre>{@code
 * try (ServiceCache api = client.discovery().cache("api")) {
 *   api.awaitReady(Duration.ofSeconds(5));
 *   InstancePicker picker = InstancePicker.roundRobin();
 *   ServiceInstance target = api.pick(picker).orElseThrow();
 * }
 * }</pre>
 *
 * <p>Thread-safe. Listeners run one at a time on the watch's delivery thread.
 */
public final class ServiceCache implements AutoCloseable {
  private final String service;
  private final List<ServiceCacheListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Long> ready = new CompletableFuture<>();
  private final ServiceWatcher watcher;
  private volatile Map<String, ServiceInstance> instances = Map.of();
  private volatile long revision;

  ServiceCache(DiscoveryClient client, String service) {
    this.service = service;
    this.watcher = client.watch(service, new ServiceWatchListener() {
      @Override
      public void onSnapshot(long at, List<ServiceInstance> snapshot) {
        TreeMap<String, ServiceInstance> next = new TreeMap<>();
        snapshot.forEach(i -> next.put(i.id(), i));
        update(at, next);
      }

      @Override
      public void onEvents(long at, List<InstanceEvent> events) {
        TreeMap<String, ServiceInstance> next = new TreeMap<>(instances);
        for (InstanceEvent event : events) {
          if (event.type() == InstanceEvent.Type.PUT) {
            next.put(event.id(), event.instance());
          } else {
            next.remove(event.id());
          }
        }
        update(at, next);
      }

      @Override
      public void onError(io.coord.client.CoordException error) {
        ready.completeExceptionally(error);
      }
    });
  }

  private void update(long at, TreeMap<String, ServiceInstance> next) {
    instances = java.util.Collections.unmodifiableMap(next);
    revision = at;
    ready.complete(at);
    List<ServiceInstance> healthy = healthy();
    for (ServiceCacheListener listener : listeners) {
      listener.changed(at, healthy);
    }
  }

  /** The service this cache follows. */
  public String service() {
    return service;
  }

  /** Completes with the revision of the first snapshot. */
  public CompletableFuture<Long> ready() {
    return ready;
  }

  /**
   * Waits until the first snapshot arrived.
   *
   * @throws TimeoutException if it did not within {@code timeout}
   */
  public ServiceCache awaitReady(Duration timeout) throws TimeoutException, InterruptedException {
    try {
      ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw (RuntimeException) e.getCause();
    }
    return this;
  }

  /** The revision the cache reflects (0 before the first snapshot). */
  public long revision() {
    return revision;
  }

  /** Every instance, healthy or not, sorted by id. */
  public List<ServiceInstance> instances() {
    return List.copyOf(instances.values());
  }

  /** The instances that are PASSING or WARNING, sorted by id. */
  public List<ServiceInstance> healthy() {
    List<ServiceInstance> out = new ArrayList<>();
    for (ServiceInstance instance : instances.values()) {
      if (instance.healthy()) {
        out.add(instance);
      }
    }
    return out;
  }

  /** One instance, if any, by id. */
  public Optional<ServiceInstance> get(String id) {
    return Optional.ofNullable(instances.get(id));
  }

  /** Picks a healthy instance with {@code picker}; empty if none is healthy. */
  public Optional<ServiceInstance> pick(InstancePicker picker) {
    return picker.pick(healthy());
  }

  /** Adds a listener, told after every change (not of the state before it was added). */
  public void addListener(ServiceCacheListener listener) {
    listeners.add(listener);
  }

  public void removeListener(ServiceCacheListener listener) {
    listeners.remove(listener);
  }

  /** Stops following the service; the view stays as it was. */
  @Override
  public void close() {
    watcher.close();
  }
}
