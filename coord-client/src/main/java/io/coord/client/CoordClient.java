package io.coord.client;

import io.coord.client.cluster.ClusterClient;
import io.coord.client.discovery.DiscoveryClient;
import io.coord.client.internal.Transport;
import io.coord.client.election.ElectionClient;
import io.coord.client.kv.KvClient;
import io.coord.client.lock.Lock;
import io.coord.client.lock.LockClient;
import io.coord.client.watch.WatchClient;
import io.coord.client.watch.WatchListener;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import io.coord.client.session.SessionClient;
import io.coord.client.maintenance.MaintenanceClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A connection to a Coord cluster. Build one per process and share it: it is thread-safe and
 * holds one gRPC channel per endpoint.
 *
 * <pre>{@code
 * try (CoordClient client = CoordClient.builder()
 *     .endpoints("127.0.0.1:7701", "127.0.0.1:7702", "127.0.0.1:7703")
 *     .build()) {
 *   client.kv().put("greeting", "hello");
 *   String value = client.kv().get("greeting").first().orElseThrow().valueString();
 * }
 * }</pre>
 *
 * <p>Requests go to one member and fail over to the next when it is unreachable, has no leader
 * or does not answer within the attempt timeout, until the request timeout. Writes carry this
 * client's id and a sequence number, so a write retried anywhere is applied once.
 *
 * <p>The futures of the {@code *Async} methods complete on the client's callback threads (a
 * small work-stealing pool, {@code coord-client-callbacks-N}), and so do the continuations
 * attached to them with the non-async methods ({@code thenApply}, {@code whenComplete}).
 * Waiting there on another of this client's futures ({@code join}, {@code get}) is fine;
 * anything else that blocks (I/O, sleeping, locks held long) belongs on your own executor
 * ({@code thenApplyAsync(fn, executor)}), or it holds up every call's callbacks.
 */
public final class CoordClient implements AutoCloseable {
  private final Transport transport;
  private final KvClient kv;
  private final ClusterClient cluster;
  private final WatchClient watches;
  private final SessionClient sessions;
  private final MaintenanceClient maintenance;
  private final LockClient locks;
  private final ElectionClient elections;
  private final DiscoveryClient discovery;

  private CoordClient(Builder builder) {
    this.transport = new Transport(builder.endpoints, builder.attemptTimeout);
    this.kv = new KvClient(transport, builder.requestTimeout);
    this.cluster = new ClusterClient(transport, builder.requestTimeout);
    this.watches = new WatchClient(transport, kv);
    this.sessions = new SessionClient(transport, builder.requestTimeout);
    this.maintenance = new MaintenanceClient(transport, builder.requestTimeout);
    this.locks = new LockClient(transport, sessions, builder.requestTimeout);
    this.elections = new ElectionClient(transport, sessions, builder.requestTimeout);
    this.discovery = new DiscoveryClient(transport, builder.requestTimeout, sessions);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Key-value operations. */
  public KvClient kv() {
    return kv;
  }

  /** Watches: streams of changes that survive member failures without loss or duplicates. */
  public WatchClient watches() {
    return watches;
  }

  /** Watches {@code key} (or the range the options describe); see {@link WatchClient}. */
  public Watcher watch(String key, WatchOptions options, WatchListener listener) {
    return watches.watch(key, options, listener);
  }

  /** Sessions, kept alive in the background, and ephemeral keys. */
  public SessionClient sessions() {
    return sessions;
  }

  /** Locks, semaphores and read-write locks, with server-checked fencing tokens. */
  public LockClient locks() {
    return locks;
  }

  /**
   * The mutex {@code name}, each acquisition held by a session of its own:
   * {@code try (HeldLock held = client.lock("name").acquire(timeout)) { held.token(); }}.
   */
  public Lock lock(String name) {
    return locks.lock(name);
  }

  /**
   * Leader elections: campaigns, Curator-style latches and selectors, and observers that see
   * every change of leader including "no leader".
   */
  public ElectionClient elections() {
    return elections;
  }

  /** Service discovery: registrations, lookups, watches, caches and instance pickers. */
  public DiscoveryClient discovery() {
    return discovery;
  }

  /** Membership and status. */
  public ClusterClient cluster() {
    return cluster;
  }

  /** Backups. */
  public MaintenanceClient maintenance() {
    return maintenance;
  }

  /** The endpoints this client uses, in order. */
  public List<String> endpoints() {
    return transport.endpoints();
  }

  /** The id this client's writes carry (for exactly-once retries). */
  public long clientId() {
    return transport.clientId();
  }

  /**
   * Closes the connections; outstanding requests fail. Sessions still open stop being kept
   * alive (they become LOST and expire on the server after their TTL): close them first to
   * revoke them.
   */
  @Override
  public void close() {
    discovery.close();
    sessions.close();
    watches.close();
    transport.close();
  }

  /** Configures a {@link CoordClient}. */
  public static final class Builder {
    private final List<String> endpoints = new ArrayList<>();
    private Duration requestTimeout = Duration.ofSeconds(10);
    private Duration attemptTimeout = Duration.ofSeconds(3);

    /** Adds members to talk to, as host:port (any subset of the cluster works). */
    public Builder endpoints(String... hostPorts) {
      endpoints.addAll(List.of(hostPorts));
      return this;
    }

    /** Adds members to talk to, as host:port. */
    public Builder endpoints(List<String> hostPorts) {
      endpoints.addAll(hostPorts);
      return this;
    }

    /** The longest a request may take, retries included (default 10 s). */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    /** The longest one attempt on one member may take before failing over (default 3 s). */
    public Builder attemptTimeout(Duration timeout) {
      this.attemptTimeout = timeout;
      return this;
    }

    public CoordClient build() {
      if (endpoints.isEmpty()) {
        throw new IllegalArgumentException("no endpoints: call endpoints(\"host:port\", ...)");
      }
      return new CoordClient(this);
    }
  }
}
