package io.coord.client.session;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A session of this client, kept alive in the background until it is lost or closed. Keys put
 * with {@link io.coord.client.kv.PutOptions.Builder#session(long)} and this session's
 * {@link #id()} are deleted when it ends.
 *
 * <p>Watch its {@link #state()} (see {@link SessionState} for the exact rules): while
 * SUSPENDED, ownership is uncertain; once LOST, it is gone, and the client declares LOST no
 * later than the moment the server could expire the session, so nothing it held can have been
 * granted to someone else while this client still believed it held it.
 *
 * <pre>{@code
 * try (Session session = client.sessions().grant(Duration.ofSeconds(10))) {
 *   session.addListener((s, state) -> log.info("session {} is {}", s.id(), state));
 *   client.kv().put("members/me", "host:port", PutOptions.builder().session(session.id()).build());
 *   session.lost().join();   // returns when the session is lost
 * }                          // close() revokes the session: "members/me" is deleted
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class Session implements AutoCloseable {
  private final long id;
  private final Duration ttl;
  private final Optional<String> ttlAdjustment;
  private final SessionClient client;
  private final Executor listenerExecutor;
  private final List<SessionListener> listeners = new CopyOnWriteArrayList<>();
  private final CompletableFuture<SessionLoss> lost = new CompletableFuture<>();
  private volatile SessionState state = SessionState.CONNECTED;
  private volatile Liveness liveness;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();

  Session(long id, Duration ttl, Optional<String> ttlAdjustment, SessionClient client,
      Executor listenerExecutor) {
    this.id = id;
    this.ttl = ttl;
    this.ttlAdjustment = ttlAdjustment;
    this.client = client;
    this.listenerExecutor = listenerExecutor;
  }

  void attach(Liveness liveness) {
    this.liveness = liveness;
  }

  /** The session id, for {@code PutOptions.session(id)} and other calls that take one. */
  public long id() {
    return id;
  }

  /** The TTL the server granted. */
  public Duration ttl() {
    return ttl;
  }

  /** Why the granted TTL differs from the requested one, if it does. */
  public Optional<String> ttlAdjustment() {
    return ttlAdjustment;
  }

  /** The current state. */
  public SessionState state() {
    return state;
  }

  /** True once the session is LOST (final). */
  public boolean isLost() {
    return state == SessionState.LOST;
  }

  /**
   * How long until this client declares the session LOST unless a keep-alive is acknowledged
   * meanwhile; zero once LOST. Under normal operation it stays between {@code 2/3 TTL} and
   * {@code TTL}.
   */
  public Duration timeLeft() {
    Liveness current = liveness;
    return current == null ? Duration.ZERO : Duration.ofNanos(current.nanosUntilLost());
  }

  /**
   * Adds a listener of state changes. Every listener sees every change from the moment it is
   * added, in order; a listener added after LOST is told LOST.
   */
  public void addListener(SessionListener listener) {
    listeners.add(listener);
    if (isLost()) {
      listenerExecutor.execute(() -> notify(listener, SessionState.LOST));
    }
  }

  public void removeListener(SessionListener listener) {
    listeners.remove(listener);
  }

  /**
   * Completes (on the listener thread, after the listeners were told) when the session is
   * LOST, with why. Never completes exceptionally.
   */
  public CompletableFuture<SessionLoss> lost() {
    return lost;
  }

  /** Called by the liveness, on the keep-alive thread. */
  void entered(SessionState next, SessionLoss loss) {
    state = next;
    List<SessionListener> toTell = List.copyOf(listeners);
    listenerExecutor.execute(() -> {
      for (SessionListener listener : toTell) {
        notify(listener, next);
      }
      if (loss != null) {
        lost.complete(loss);
      }
    });
    if (next == SessionState.LOST) {
      client.forget(this);
    }
  }

  private void notify(SessionListener listener, SessionState next) {
    try {
      listener.stateChanged(this, next);
    } catch (RuntimeException e) {
      Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(
          Thread.currentThread(), e);
    }
  }

  /**
   * Ends the session: it becomes LOST (reason CLOSED) at once unless it was lost already, then
   * it is revoked, which deletes its keys. If the cluster cannot be reached within the client's request timeout,
   * the session expires on its own within its TTL. Never throws; idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    client.close(this);
    // Also after a loss decided by this client alone: the session may still be alive.
    client.revokeQuietly(id);
  }

  Liveness liveness() {
    return liveness;
  }

  long ttlNanos() {
    return TimeUnit.MILLISECONDS.toNanos(ttl.toMillis());
  }

  @Override
  public String toString() {
    return "Session{id=" + id + ", ttl=" + ttl.toSeconds() + "s, state=" + state + "}";
  }
}
