package io.coord.client.lock;

import io.coord.client.CoordException;
import io.coord.client.internal.Transport;
import io.coord.client.kv.KvClient;
import io.coord.client.session.Session;
import io.coord.client.session.SessionClient;
import io.coord.proto.v1.LockAcquireRequest;
import io.coord.proto.v1.LockAcquireResponse;
import io.coord.proto.v1.LockBreakRequest;
import io.coord.proto.v1.LockGrpc;
import io.coord.proto.v1.LockInspectRequest;
import io.coord.proto.v1.LockListRequest;
import io.coord.proto.v1.LockReleaseRequest;
import io.coord.proto.v1.LockWait;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Locks kept by the cluster: mutexes, counting semaphores and read-write locks, with fencing
 * tokens the server checks. Get it from {@link io.coord.client.CoordClient#locks()}.
 *
 * <pre>{@code
 * Lock lock = client.lock("reports/daily");
 * try (HeldLock held = lock.acquire(Duration.ofSeconds(10))) {
 *   held.lost().thenRun(() -> log.warn("lost {}", held));   // session LOST: stop working
 *   ... write with PutOptions.builder().guard(held.fence()) ...
 * }
 * Optional<HeldLock> maybe = client.locks().semaphore("workers", 4).tryAcquire();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class LockClient {
  /** How an acquire waits. */
  enum Wait { NONE, TIMEOUT, FOREVER }

  private final Transport transport;
  private final SessionClient sessions;
  private final Duration timeout;

  /** Created by {@link io.coord.client.CoordClient#locks()}. */
  public LockClient(Transport transport, SessionClient sessions, Duration timeout) {
    this.transport = transport;
    this.sessions = sessions;
    this.timeout = timeout;
  }

  /** A mutex, each acquisition with a session of its own (TTL 10 s). */
  public Lock lock(String name) {
    return lock(name, LockOptions.DEFAULT);
  }

  /** A mutex. */
  public Lock lock(String name, LockOptions options) {
    return new Lock(this, checkName(name), LockKind.MUTEX, 0, LockMode.WRITE, options);
  }

  /**
   * A counting semaphore of {@code permits}: up to that many holders at once, each grant with
   * its own token. The first acquirer fixes the number; asking with another fails with
   * {@code LOCK_MISMATCH} while anyone holds or waits.
   */
  public Lock semaphore(String name, int permits) {
    return semaphore(name, permits, LockOptions.DEFAULT);
  }

  public Lock semaphore(String name, int permits, LockOptions options) {
    if (permits < 1) {
      throw new IllegalArgumentException("a semaphore needs at least 1 permit, got " + permits);
    }
    return new Lock(this, checkName(name), LockKind.SEMAPHORE, permits, LockMode.WRITE,
        options);
  }

  /** A read-write lock. */
  public ReadWriteLock readWriteLock(String name) {
    return readWriteLock(name, LockOptions.DEFAULT);
  }

  public ReadWriteLock readWriteLock(String name, LockOptions options) {
    return new ReadWriteLock(this, checkName(name), options);
  }

  /** Who holds {@code name}, since when, with which tokens, and who waits, in order. */
  public CompletableFuture<Optional<LockInfo>> inspectAsync(String name) {
    return transport.read(LockGrpc.getInspectMethod(),
        LockInspectRequest.newBuilder().setName(name).build(), timeout)
        .thenApply(r -> r.hasLock() ? Optional.of(LockInfo.of(r.getLock(),
            r.hasLastBreak() ? r.getLastBreak() : null))
            : r.hasLastBreak() ? Optional.of(LockInfo.free(name, r.getLastBreak()))
            : Optional.empty());
  }

  /**
   * Blocking {@link #inspectAsync}. Empty if nobody holds or waits for the lock and it was
   * never broken; a lock that is free but was broken has no holders and its last break.
   */
  public Optional<LockInfo> inspect(String name) {
    return KvClient.await(inspectAsync(name));
  }

  /** The locks held or waited for whose name starts with {@code prefix}, by name. */
  public CompletableFuture<List<LockInfo>> listAsync(String prefix) {
    return transport.read(LockGrpc.getListMethod(),
        LockListRequest.newBuilder().setPrefix(prefix).build(), timeout)
        .thenApply(r -> r.getLocksList().stream().map(l -> LockInfo.of(l, null)).toList());
  }

  public List<LockInfo> list(String prefix) {
    return KvClient.await(listAsync(prefix));
  }

  /**
   * For operators: releases every grant of {@code name} (the next waiters are granted),
   * recording {@code reason}. The holders are not told; their guarded writes are refused.
   * Returns the released grants.
   */
  public CompletableFuture<List<LockHolder>> breakLockAsync(String name, String reason) {
    return transport.write(LockGrpc.getBreakMethod(),
        LockBreakRequest.newBuilder().setName(name).setReason(reason).build(), timeout)
        .thenApply(r -> r.getReleasedList().stream().map(LockHolder::of).toList());
  }

  public List<LockHolder> breakLock(String name, String reason) {
    return KvClient.await(breakLockAsync(name, reason));
  }

  /** Releases the grant with {@code token}; false if it was not held (any more). */
  public CompletableFuture<Boolean> releaseAsync(String name, long token) {
    return transport.write(LockGrpc.getReleaseMethod(), LockReleaseRequest.newBuilder()
        .setName(name).setToken(token).build(), timeout).thenApply(r -> r.getReleased());
  }

  public boolean release(String name, long token) {
    return KvClient.await(releaseAsync(name, token));
  }

  /** Releases what session {@code sessionId} holds of {@code name} and withdraws its wait. */
  public CompletableFuture<Boolean> releaseSessionAsync(String name, long sessionId) {
    return transport.write(LockGrpc.getReleaseMethod(), LockReleaseRequest.newBuilder()
        .setName(name).setSession(sessionId).build(), timeout)
        .thenApply(r -> r.getReleased() || r.getWaitWithdrawn());
  }

  void releaseQuietly(String name, long token) {
    try {
      release(name, token);
    } catch (CoordException unreachable) {
      // The grant ends with its session.
    }
  }

  /** Acquires {@code lock}: empty when it was not granted (at once, or within the timeout). */
  CompletableFuture<Optional<HeldLock>> acquire(Lock lock, Wait wait, Duration waitTimeout) {
    Session given = lock.options().session();
    CompletableFuture<Session> session = given != null ? CompletableFuture.completedFuture(given)
        : sessions.grantAsync(lock.options().ttl());
    long start = System.nanoTime();
    CompletableFuture<Optional<HeldLock>> result = new CompletableFuture<>();
    session.whenComplete((s, error) -> {
      if (error != null) {
        result.completeExceptionally(error);
      } else if (result.isDone()) {
        giveUp(lock, s, given == null);
      } else {
        new Attempt(lock, s, given == null, wait, waitTimeout, start, result).send();
      }
    });
    return result;
  }

  /**
   * One Acquire request, resent with a new request id if its wait was withdrawn under it
   * (LOCK_WAIT_ENDED) while time is left.
   */
  private final class Attempt {
    private final Lock lock;
    private final Session session;
    private final boolean owned;
    private final Wait wait;
    private final Duration waitTimeout;
    private final long start;
    private final CompletableFuture<Optional<HeldLock>> result;

    Attempt(Lock lock, Session session, boolean owned, Wait wait, Duration waitTimeout,
        long start, CompletableFuture<Optional<HeldLock>> result) {
      this.lock = lock;
      this.session = session;
      this.owned = owned;
      this.wait = wait;
      this.waitTimeout = waitTimeout;
      this.start = start;
      this.result = result;
    }

    void send() {
      Duration left = wait == Wait.TIMEOUT
          ? waitTimeout.minusNanos(System.nanoTime() - start) : null;
      if (left != null && (left.isNegative() || left.isZero())) {
        left = Duration.ofMillis(1);
      }
      CompletableFuture<LockAcquireResponse> call = transport.waitingWrite(
          LockGrpc.getAcquireMethod(), this::request,
          wait == Wait.NONE ? timeout : left, timeout);
      result.whenComplete((r, e) -> {
        if (result.isCancelled()) {
          call.cancel(true);
        }
      });
      call.whenComplete(this::answered);
    }

    private LockAcquireRequest request(long leftMs) {
      LockAcquireRequest.Builder request = LockAcquireRequest.newBuilder()
          .setName(lock.name())
          .setSession(session.id())
          .setKind(io.coord.proto.v1.LockKind.valueOf(lock.kind().name()))
          .setPermits(lock.permits())
          .setMode(io.coord.proto.v1.LockMode.valueOf(lock.mode().name()));
      return switch (wait) {
        case NONE -> request.setWait(LockWait.NO_WAIT).build();
        case FOREVER -> request.setWait(LockWait.WAIT_FOREVER).build();
        case TIMEOUT -> request.setWait(LockWait.WAIT_TIMEOUT)
            .setTimeoutMs(Math.max(1, leftMs)).build();
      };
    }

    private void answered(LockAcquireResponse response, Throwable error) {
      if (result.isCancelled()) {
        giveUp(lock, session, owned);
        return;
      }
      if (error == null) {
        if (response.getAcquired()) {
          var grant = response.getGrant();
          HeldLock held = new HeldLock(LockClient.this, lock.name(), lock.kind(),
              grant.getToken(), LockMode.valueOf(grant.getMode().name()),
              Instant.ofEpochMilli(grant.getHeldSinceMs()), grant.getRevision(),
              grant.getReentrant(), session, owned);
          if (!result.complete(Optional.of(held))) {
            held.release();
          }
        } else {
          if (owned) {
            session.close();
          }
          result.complete(Optional.empty());
        }
        return;
      }
      Throwable cause = error instanceof java.util.concurrent.CompletionException
          && error.getCause() != null ? error.getCause() : error;
      boolean timeLeft = wait != Wait.TIMEOUT
          || System.nanoTime() - start < waitTimeout.toNanos();
      if (cause instanceof CoordException coord && coord.reason().equals("LOCK_WAIT_ENDED")
          && timeLeft) {
        send();
        return;
      }
      if (!owned) {
        // Report the failure only once the session's leftovers are released: a caller that
        // acquires again at once would otherwise be granted re-entrantly the very grant this
        // release then takes away.
        giveUp(lock, session, false).whenComplete((r, e) -> result.completeExceptionally(cause));
        return;
      }
      giveUp(lock, session, true);
      if (wait != Wait.NONE && timeLeft && cause instanceof CoordException coord
          && coord.reason().equals("SESSION_NOT_FOUND")) {
        // Its own session expired while it waited (a long partition): queue again, last.
        sessions.grantAsync(lock.options().ttl()).whenComplete((fresh, grantError) -> {
          if (grantError != null) {
            result.completeExceptionally(grantError);
          } else if (result.isDone()) {
            fresh.close();
          } else {
            new Attempt(lock, fresh, true, wait, waitTimeout, start, result).send();
          }
        });
        return;
      }
      result.completeExceptionally(cause);
    }
  }

  /**
   * The acquire failed or was abandoned and may have been granted or queued all the same:
   * release what the session has on the lock (an owned session is simply closed).
   */
  private CompletableFuture<?> giveUp(Lock lock, Session session, boolean owned) {
    if (owned) {
      session.close();
      return CompletableFuture.completedFuture(null);
    }
    return releaseSessionAsync(lock.name(), session.id()).exceptionally(e -> false);
  }

  private static String checkName(String name) {
    if (name == null || name.isEmpty()) {
      throw new IllegalArgumentException("a lock needs a non-empty name");
    }
    return name;
  }
}
