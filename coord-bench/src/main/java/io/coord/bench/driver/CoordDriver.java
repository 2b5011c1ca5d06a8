package io.coord.bench.driver;

import com.google.protobuf.ByteString;
import io.coord.bench.Workload;
import io.coord.client.CoordClient;
import io.coord.client.kv.Cmp;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.Op;
import io.coord.client.kv.PutOptions;
import io.coord.client.kv.PutResult;
import io.coord.client.kv.TxnResult;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchListener;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import io.coord.client.lock.LockOptions;
import io.coord.client.session.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Coord through {@code coord-client}'s asynchronous API, one client over every endpoint.
 * Writes are exactly-once (each carries the client id and a sequence number), as for any
 * user of the client. Sessions use the session API (grant, one keep-alive, revoke); watches are
 * the client's resuming watches. Locks: each in-flight slot holds its locks with a session of its
 * own, granted once and kept alive for the run (sharing one session would make every slot
 * re-enter the same grant), so a lock + unlock is two log entries, one acquire and one release,
 * each with its fencing token; a contended acquire waits on the server, in line.
 */
public final class CoordDriver implements Driver {
  private static final Duration LOCK_SESSION_TTL = Duration.ofSeconds(30);
  private static final GetOptions LINEARIZABLE = GetOptions.DEFAULT;
  private static final GetOptions SERIALIZABLE = GetOptions.builder().serializable().build();
  /** As for etcd's leases in this benchmark (the server may raise it to its minimum). */
  private static final Duration SESSION_TTL = Duration.ofSeconds(10);

  private final CoordClient client;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<Session>> lockSessions =
      new ConcurrentHashMap<>();

  public CoordDriver(List<String> endpoints, Duration requestTimeout) {
    this.client = CoordClient.builder().endpoints(endpoints).requestTimeout(requestTimeout)
        .build();
  }

  @Override
  public String system() {
    return "coord";
  }

  @Override
  public Set<Workload> supported() {
    return EnumSet.of(Workload.PUT, Workload.GET, Workload.SGET, Workload.TXN,
        Workload.SESSION, Workload.WATCH, Workload.LOCK, Workload.LOCK_CONTENDED);
  }

  /** The client, for workloads that need more than the driver operations (failover). */
  public CoordClient client() {
    return client;
  }

  @Override
  public CompletableFuture<PutResult> put(String key, byte[] value) {
    return client.kv().putAsync(ByteString.copyFromUtf8(key), ByteString.copyFrom(value),
        PutOptions.DEFAULT);
  }

  @Override
  public CompletableFuture<?> get(String key, boolean linearizable) {
    return client.kv().getAsync(ByteString.copyFromUtf8(key),
        linearizable ? LINEARIZABLE : SERIALIZABLE);
  }

  @Override
  public CompletableFuture<Boolean> compareAndPut(String key, byte[] value) {
    long expected = versions.getOrDefault(key, 0L);
    ByteString k = ByteString.copyFromUtf8(key);
    return client.kv().txn()
        .when(Cmp.version(key).equalTo(expected))
        .then(Op.put(k, ByteString.copyFrom(value), PutOptions.DEFAULT))
        .commitAsync()
        .thenApply(TxnResult::succeeded)
        .thenApply(ok -> {
          if (ok) {
            versions.put(key, expected + 1);
          }
          return ok;
        });
  }

  @Override
  public CompletableFuture<?> session(int slot) {
    var sessions = client.sessions();
    return sessions.grantIdAsync(SESSION_TTL)
        .thenCompose(granted -> sessions.keepAliveOnceAsync(granted.id())
            .thenCompose(alive -> sessions.revokeAsync(granted.id())));
  }

  @Override
  public AutoCloseable watch(String prefix, int watchers, Consumer<String> onEvent)
      throws Exception {
    WatchOptions options = WatchOptions.builder().prefix().build();
    List<Watcher> started = new ArrayList<>();
    for (int i = 0; i < watchers; i++) {
      started.add(client.watch(prefix, options, new WatchListener() {
        @Override
        public void onEvents(long revision, List<WatchEvent> events) {
          for (WatchEvent event : events) {
            onEvent.accept(event.kv().keyString());
          }
        }
      }));
    }
    try {
      CompletableFuture.allOf(started.stream().map(Watcher::created)
          .toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      started.forEach(Watcher::close);
      throw new IllegalStateException("Coord did not confirm " + watchers
          + " watches within 30 s", e);
    }
    return () -> started.forEach(Watcher::close);
  }

  @Override
  public CompletableFuture<?> lockUnlock(String name, int slot) {
    return lockSession(slot).thenCompose(session -> client.locks()
        .lock(name, LockOptions.builder().session(session).build()).acquireAsync(null))
        .thenCompose(held -> client.locks().releaseAsync(name, held.token()));
  }

  /** The slot's session, granted on first use (a failed grant is retried by the next use). */
  private CompletableFuture<Session> lockSession(int slot) {
    CompletableFuture<Session> session = lockSessions.computeIfAbsent(slot,
        s -> client.sessions().grantAsync(LOCK_SESSION_TTL));
    if (session.isCompletedExceptionally() || session.isDone() && session.join().isLost()) {
      lockSessions.remove(slot, session);
      return lockSession(slot);
    }
    return session;
  }

  @Override
  public void close() {
    for (CompletableFuture<Session> session : lockSessions.values()) {
      session.thenAccept(Session::close).exceptionally(e -> null);
    }
    client.close();
  }
}
