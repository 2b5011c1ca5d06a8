package io.coord.client.discovery;

import io.coord.client.internal.Transport;
import io.coord.client.kv.KvClient;
import io.coord.client.session.Session;
import io.coord.client.session.SessionClient;
import io.coord.proto.v1.DeregisterRequest;
import io.coord.proto.v1.DiscoveryGrpc;
import io.coord.proto.v1.ListServicesRequest;
import io.coord.proto.v1.LookupRequest;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Service discovery: register instances owned by sessions, look them up, watch them, cache
 * them and pick among them. Obtained from {@link io.coord.client.CoordClient#discovery()};
 * closed with the client. Thread-safe.
 *
 * <pre>{@code
 * // a service registers itself; the registration survives session loss (re-registered)
 * ServiceRegistry registry = client.discovery().registry(Duration.ofSeconds(10));
 * registry.register(Registration.builder("api", "api-1").address("10.0.0.1").port(8080).build());
 *
 * // a caller picks healthy instances from a local, watch-fed cache
 * ServiceCache api = client.discovery().cache("api");
 * ServiceInstance target = api.pick(InstancePicker.roundRobin()).orElseThrow();
 * }</pre>
 */
public final class DiscoveryClient implements AutoCloseable {
  private final Transport transport;
  private final Duration timeout;
  private final SessionClient sessions;
  private final Set<AutoCloseable> open = ConcurrentHashMap.newKeySet();
  private final ExecutorService listenerPool;
  private final ScheduledExecutorService scheduler;

  /** Created by {@link io.coord.client.CoordClient}. */
  public DiscoveryClient(Transport transport, Duration timeout, SessionClient sessions) {
    this.transport = transport;
    this.timeout = timeout;
    this.sessions = sessions;
    AtomicInteger threads = new AtomicInteger();
    this.listenerPool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "coord-discovery-listener-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "coord-discovery");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Registers (or updates) an instance owned by session {@code sessionId}: it disappears when
   * the session ends. Use {@link #registry(Duration)} to have registrations survive session
   * loss.
   *
   * @throws io.coord.client.NotFoundException if the session does not exist
   * @throws io.coord.client.CoordException with reason INSTANCE_REGISTERED if another live
   *     session owns the instance
   */
  public CompletableFuture<ServiceInstance> registerAsync(Registration registration,
      long sessionId) {
    return transport.write(DiscoveryGrpc.getRegisterMethod(), registration.toRequest(sessionId),
        timeout).thenApply(r -> ServiceInstance.of(r.getInstance()));
  }

  /** Blocking {@link #registerAsync}. */
  public ServiceInstance register(Registration registration, long sessionId) {
    return KvClient.await(registerAsync(registration, sessionId));
  }

  /** Blocking {@link #registerAsync} with {@code session}'s id. */
  public ServiceInstance register(Registration registration, Session session) {
    return register(registration, session.id());
  }

  /**
   * Removes an instance now.
   *
   * @throws io.coord.client.NotFoundException if it is not registered
   */
  public CompletableFuture<Void> deregisterAsync(String service, String id) {
    return transport.write(DiscoveryGrpc.getDeregisterMethod(), DeregisterRequest.newBuilder()
        .setService(service).setInstanceId(id).build(), timeout).thenApply(r -> null);
  }

  /** Blocking {@link #deregisterAsync}. */
  public void deregister(String service, String id) {
    KvClient.await(deregisterAsync(service, id));
  }

  /**
   * The instances of {@code service} (linearizable read), sorted by id.
   *
   * @param healthyOnly only PASSING or WARNING instances
   * @param tags only instances carrying all of these
   */
  public CompletableFuture<List<ServiceInstance>> lookupAsync(String service,
      boolean healthyOnly, List<String> tags) {
    return transport.read(DiscoveryGrpc.getLookupMethod(), LookupRequest.newBuilder()
        .setService(service).setHealthyOnly(healthyOnly).addAllTags(tags).build(), timeout)
        .thenApply(r -> r.getInstancesList().stream().map(ServiceInstance::of).toList());
  }

  /** Blocking {@link #lookupAsync}. */
  public List<ServiceInstance> lookup(String service, boolean healthyOnly, String... tags) {
    return KvClient.await(lookupAsync(service, healthyOnly, List.of(tags)));
  }

  /** Every instance of {@code service}, healthy or not. */
  public List<ServiceInstance> lookup(String service) {
    return lookup(service, false);
  }

  /** Every service with at least one instance, sorted by name. */
  public CompletableFuture<List<ServiceSummary>> listServicesAsync() {
    return transport.read(DiscoveryGrpc.getListServicesMethod(),
        ListServicesRequest.getDefaultInstance(), timeout)
        .thenApply(r -> r.getServicesList().stream().map(s -> new ServiceSummary(s.getName(),
            s.getInstances(), s.getHealthy(), List.copyOf(s.getTagsList()))).toList());
  }

  /** Blocking {@link #listServicesAsync}. */
  public List<ServiceSummary> listServices() {
    return KvClient.await(listServicesAsync());
  }

  /** Watches {@code service}: a snapshot, then every change, across member failures. */
  public ServiceWatcher watch(String service, ServiceWatchListener listener) {
    ServiceWatcher watcher = new ServiceWatcher(this, service, listener);
    open.add(watcher);
    watcher.start();
    return watcher;
  }

  /** A watch-fed local view of {@code service}'s instances. */
  public ServiceCache cache(String service) {
    return new ServiceCache(this, service);
  }

  /**
   * A registry of this process's instances, bound to a session of {@code ttl} that it keeps
   * alive; when that session is LOST it grants a new one and registers everything again.
   */
  public ServiceRegistry registry(Duration ttl) {
    ServiceRegistry registry = new ServiceRegistry(this, sessions, ttl);
    open.add(registry);
    return registry;
  }

  List<String> endpoints() {
    return transport.endpoints();
  }

  Channel channel(String endpoint) {
    return transport.channel(endpoint);
  }

  ExecutorService listenerPool() {
    return listenerPool;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  void forget(AutoCloseable closeable) {
    open.remove(closeable);
  }

  /** Closes every watcher and registry (registries deregister and revoke their session). */
  @Override
  public void close() {
    for (AutoCloseable closeable : List.copyOf(open)) {
      try {
        closeable.close();
      } catch (Exception e) {
        // Closing anyway.
      }
    }
    scheduler.shutdownNow();
    listenerPool.shutdown();
  }
}
