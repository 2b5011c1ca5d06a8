package io.coord.client.session;

import io.coord.client.CoordException;
import io.coord.client.NotFoundException;
import io.coord.client.internal.Scheduler;
import io.coord.client.internal.Transport;
import io.coord.client.kv.KvClient;
import io.coord.proto.v1.SessionGrantRequest;
import io.coord.proto.v1.SessionGrpc;
import io.coord.proto.v1.SessionListRequest;
import io.coord.proto.v1.SessionRevokeRequest;
import io.coord.proto.v1.SessionTimeToLiveRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Sessions: leases with a time-to-live that this client keeps alive, to which keys (and
 * later locks, elections and registrations) can be attached. {@link #grant(Duration)} gives a
 * {@link Session} kept alive in the background; the other calls work on session ids, for tools
 * and for sessions owned elsewhere.
 *
 * <p>All sessions of one client share one keep-alive stream to one member (any member: it
 * relays to the leader), reopened on another member when it breaks. Listeners of every
 * session run, in order, on one thread dedicated to them. Thread-safe.
 */
public final class SessionClient implements AutoCloseable {
  private final Transport transport;
  private final Duration timeout;
  private final Scheduler scheduler;
  private final ExecutorService listenerExecutor;
  private final KeepAliveLoop loop;
  private final Map<Long, Session> live = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** Created by {@link io.coord.client.CoordClient#sessions()}. */
  public SessionClient(Transport transport, Duration timeout) {
    this(transport, timeout, Scheduler.system("coord-session-keepalive"));
  }

  SessionClient(Transport transport, Duration timeout, Scheduler scheduler) {
    this.transport = transport;
    this.timeout = timeout;
    this.scheduler = scheduler;
    this.listenerExecutor = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "coord-session-listeners");
      t.setDaemon(true);
      return t;
    });
    this.loop = new KeepAliveLoop(transport.endpoints(), (endpoint, responses) ->
        transport.openStream(endpoint, SessionGrpc.getKeepAliveMethod(), responses),
        scheduler);
  }

  /**
   * Grants a session and keeps it alive until it is lost or closed. The TTL is rounded up to
   * whole seconds; the server may raise it to its minimum ({@link Session#ttlAdjustment()}
   * says so) and refuses one above its maximum.
   */
  public CompletableFuture<Session> grantAsync(Duration ttl) {
    long sentAt = scheduler.nanoTime();
    return grantIdAsync(ttl).thenApply(grant -> start(grant.id(), grant.ttl(),
        grant.adjustment(), sentAt));
  }

  /** Blocking {@link #grantAsync(Duration)}. */
  public Session grant(Duration ttl) {
    return KvClient.await(grantAsync(ttl));
  }

  /**
   * Grants a session without keeping it alive: it expires after its TTL unless someone keeps
   * it alive ({@link #keepAliveOnce(long)}, {@link #adopt(long)}, {@code coord session
   * keepalive}).
   */
  public CompletableFuture<Grant> grantIdAsync(Duration ttl) {
    long seconds = ttlSeconds(ttl);
    return transport.write(SessionGrpc.getGrantMethod(),
        SessionGrantRequest.newBuilder().setTtl(seconds).build(), timeout)
        .thenApply(r -> new Grant(r.getId(), Duration.ofSeconds(r.getTtl()),
            r.getTtlAdjustment().isEmpty() ? Optional.empty()
                : Optional.of(r.getTtlAdjustment())));
  }

  /** Blocking {@link #grantIdAsync(Duration)}. */
  public Grant grantId(Duration ttl) {
    return KvClient.await(grantIdAsync(ttl));
  }

  /**
   * Keeps an existing session alive from now on, as if this client had granted it: the
   * session is CONNECTED once a first keep-alive is acknowledged.
   *
   * @throws NotFoundException if the session does not exist (any more)
   */
  public CompletableFuture<Session> adoptAsync(long id) {
    long sentAt = scheduler.nanoTime();
    return keepAliveOnceAsync(id).thenApply(result -> {
      if (!result.alive()) {
        throw new NotFoundException("SESSION_NOT_FOUND", "session " + id + " does not exist"
            + result.end().map(e -> ": it ended (" + e.reason() + ") at revision "
                + e.revision()).orElse(""), Map.of("session", Long.toString(id)), null);
      }
      return start(id, result.ttl(), Optional.empty(), sentAt);
    });
  }

  /** Blocking {@link #adoptAsync(long)}. */
  public Session adopt(long id) {
    return KvClient.await(adoptAsync(id));
  }

  /**
   * Sends one keep-alive for session {@code id}, through any member, retrying elsewhere
   * until the request timeout.
   */
  public CompletableFuture<KeepAliveResult> keepAliveOnceAsync(long id) {
    return new OneKeepAlive(transport, id, timeout).start();
  }

  /** Blocking {@link #keepAliveOnceAsync(long)}. */
  public KeepAliveResult keepAliveOnce(long id) {
    return KvClient.await(keepAliveOnceAsync(id));
  }

  /**
   * Ends session {@code id} now, deleting its keys in one revision; returns the number of keys
   * deleted.
   *
   * @throws NotFoundException if it does not exist (any more); the message says how it ended
   *     when that is recorded
   */
  public CompletableFuture<Long> revokeAsync(long id) {
    return transport.write(SessionGrpc.getRevokeMethod(),
        SessionRevokeRequest.newBuilder().setId(id).build(), timeout)
        .thenApply(r -> r.getKeysDeleted());
  }

  /** Blocking {@link #revokeAsync(long)}. */
  public long revoke(long id) {
    return KvClient.await(revokeAsync(id));
  }

  /**
   * Tells what the server knows of session {@code id}: time left, TTL and keys (with
   * {@code withKeys}) if live; reason, revision and time of its end if it ended recently.
   *
   * @throws NotFoundException if it was never granted or ended long ago
   */
  public CompletableFuture<SessionStatus> timeToLiveAsync(long id, boolean withKeys) {
    return transport.read(SessionGrpc.getTimeToLiveMethod(),
        SessionTimeToLiveRequest.newBuilder().setId(id).setKeys(withKeys).build(), timeout)
        .thenApply(SessionStatus::of);
  }

  /** Blocking {@link #timeToLiveAsync(long, boolean)}. */
  public SessionStatus timeToLive(long id, boolean withKeys) {
    return KvClient.await(timeToLiveAsync(id, withKeys));
  }

  /** Lists the live sessions and, with {@code withEnded}, the recently ended ones. */
  public CompletableFuture<SessionList> listAsync(boolean withEnded) {
    return transport.read(SessionGrpc.getListMethod(),
        SessionListRequest.newBuilder().setIncludeEnded(withEnded).build(), timeout)
        .thenApply(r -> new SessionList(
            r.getSessionsList().stream().map(SessionInfo::of).toList(),
            r.getEndedList().stream().map(EndedSession::of).toList()));
  }

  /** Blocking {@link #listAsync(boolean)}. */
  public SessionList list(boolean withEnded) {
    return KvClient.await(listAsync(withEnded));
  }

  private Session start(long id, Duration ttl, Optional<String> adjustment, long sentAt) {
    Session session = new Session(id, ttl, adjustment, this, listenerExecutor);
    live.put(id, session);
    Liveness liveness = new Liveness(id, session.ttlNanos(), sentAt, scheduler,
        session::entered);
    session.attach(liveness);
    scheduler.execute(() -> loop.add(liveness));
    return session;
  }

  /** The session became LOST: stop keeping it alive. */
  void forget(Session session) {
    live.remove(session.id());
    loop.remove(session.id());
  }

  /** Marks {@code session} LOST (CLOSED) unless it is lost already; waits until it is. */
  void close(Session session) {
    if (closed) {
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    scheduler.execute(() -> {
      Liveness liveness = session.liveness();
      if (liveness != null) {
        liveness.close();
      }
      done.complete(null);
    });
    try {
      done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      // The client is closing: nothing keeps the session alive any more anyway.
    }
  }

  void revokeQuietly(long id) {
    try {
      revoke(id);
    } catch (CoordException e) {
      // Gone already, or the cluster is unreachable: then it expires on its own.
    }
  }

  private static long ttlSeconds(Duration ttl) {
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be positive, got " + ttl);
    }
    return (ttl.toMillis() + 999) / 1000;
  }

  /**
   * Stops keeping sessions alive (they are not revoked: they expire after their TTL) and
   * marks them LOST.
   */
  @Override
  public void close() {
    for (Session session : live.values()) {
      close(session);
    }
    closed = true;
    loop.close();
    scheduler.execute(scheduler::close);
    listenerExecutor.shutdown();
  }
}
