package io.coord.client.lock;

import io.coord.client.CoordException;
import io.coord.client.CoordTimeoutException;
import io.coord.client.kv.KvClient;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A lock by name, as a mutex, a semaphore or one side of a read-write lock. Holds nothing by
 * itself: each successful acquire returns a {@link HeldLock}. Get one from
 * {@link LockClient#lock}, {@link LockClient#semaphore} or {@link ReadWriteLock}.
 *
 * <p>Waiting happens on the server, in FIFO order, never by polling. A waiter whose call ends
 * (timeout, cancel, interrupt, the client going away) leaves the queue. If the outcome of an
 * acquire is uncertain when it gives up (the cluster could not be reached in time), the client
 * releases whatever its session holds or waits for on the lock before reporting the failure,
 * so nothing stays held without the caller knowing.
 *
 * <p>With {@link LockOptions#session() a session of your own}, acquiring a lock the session
 * already holds returns the same grant ({@link HeldLock#reentrant()}); one release frees it.
 * Thread-safe; immutable.
 */
public final class Lock {
  private final LockClient client;
  private final String name;
  private final LockKind kind;
  private final int permits;
  private final LockMode mode;
  private final LockOptions options;

  Lock(LockClient client, String name, LockKind kind, int permits, LockMode mode,
      LockOptions options) {
    this.client = client;
    this.name = name;
    this.kind = kind;
    this.permits = permits;
    this.mode = mode;
    this.options = options;
  }

  public String name() {
    return name;
  }

  public LockKind kind() {
    return kind;
  }

  /** The number of permits of a semaphore; 0 for the other kinds. */
  public int permits() {
    return permits;
  }

  public LockMode mode() {
    return mode;
  }

  LockOptions options() {
    return options;
  }

  /** Waits as long as it takes (until granted, interrupted or the session is lost). */
  public HeldLock acquire() {
    return await(acquireAsync(null));
  }

  /**
   * Waits at most {@code timeout}.
   *
   * @throws CoordTimeoutException if not granted in time
   */
  public HeldLock acquire(Duration timeout) {
    return await(acquireAsync(timeout));
  }

  /** Acquires only if the lock can be granted at once (nobody queues ahead, it is free). */
  public Optional<HeldLock> tryAcquire() {
    return await(client.acquire(this, LockClient.Wait.NONE, null));
  }

  /**
   * Acquires asynchronously; {@code timeout} null waits as long as it takes. Fails with
   * {@link CoordTimeoutException} if not granted in time. Cancelling the future withdraws the
   * wait.
   */
  public CompletableFuture<HeldLock> acquireAsync(Duration timeout) {
    CompletableFuture<Optional<HeldLock>> acquired = client.acquire(this,
        timeout == null ? LockClient.Wait.FOREVER : LockClient.Wait.TIMEOUT, timeout);
    CompletableFuture<HeldLock> result = acquired.thenApply(held -> held.orElseThrow(() ->
        new CoordTimeoutException("lock \"" + name + "\" was not acquired within " + timeout,
            Map.of("lock", name), null)));
    result.whenComplete((h, e) -> {
      if (result.isCancelled()) {
        acquired.cancel(true);
      }
    });
    return result;
  }

  /** Waits for {@code future}; an interrupt cancels it (withdrawing the wait). */
  private static <T> T await(CompletableFuture<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new CoordException("INTERRUPTED", "interrupted while waiting for the lock",
          Map.of(), e);
    } catch (ExecutionException e) {
      return KvClient.await(CompletableFuture.failedFuture(e.getCause()));
    } catch (CancellationException e) {
      throw new CoordException("CANCELLED", "the acquire was cancelled", Map.of(), e);
    }
  }

  @Override
  public String toString() {
    return "Lock{" + name + ", " + kind + (kind == LockKind.SEMAPHORE ? " of " + permits : "")
        + (kind == LockKind.READ_WRITE ? " " + mode : "") + "}";
  }
}
