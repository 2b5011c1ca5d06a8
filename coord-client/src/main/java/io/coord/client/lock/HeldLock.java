package io.coord.client.lock;

import io.coord.client.internal.HoldLoss;
import io.coord.client.kv.Fence;
import io.coord.client.session.Session;
import io.coord.client.session.SessionLoss;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * One grant of a lock (a mutex, a semaphore permit, a read or write hold), until released.
 *
 * <pre>{@code
 * try (HeldLock held = client.lock("jobs/nightly").acquire(Duration.ofSeconds(5))) {
 *   client.kv().put("jobs/nightly/state", "running",
 *       PutOptions.builder().guard(held.fence()).build());   // refused once the grant ended
 * }
 * }</pre>
 *
 * <p>The grant ends when it is released, when its session ends, or when an operator breaks the
 * lock. {@link #lost()} completes when the session is LOST, which the client declares before
 * the server can expire the session, hence before anyone else can be granted the lock. A
 * holder paused longer than that (GC, SIGSTOP) may still act after its loss: guard every write
 * with {@link #fence()} (Coord refuses stale tokens) or carry {@link #token()} to your own
 * store (see {@link FencedResource}).
 *
 * <p>Thread-safe.
 */
public final class HeldLock implements AutoCloseable {
  private final LockClient client;
  private final String name;
  private final LockKind kind;
  private final long token;
  private final LockMode mode;
  private final Instant heldSince;
  private final long revision;
  private final boolean reentrant;
  private final Session session;
  private final boolean ownsSession;
  private final HoldLoss hold;

  HeldLock(LockClient client, String name, LockKind kind, long token, LockMode mode,
      Instant heldSince, long revision, boolean reentrant, Session session,
      boolean ownsSession) {
    this.client = client;
    this.name = name;
    this.kind = kind;
    this.token = token;
    this.mode = mode;
    this.heldSince = heldSince;
    this.revision = revision;
    this.reentrant = reentrant;
    this.session = session;
    this.hold = new HoldLoss(session);
    this.ownsSession = ownsSession;
  }

  public String name() {
    return name;
  }

  public LockKind kind() {
    return kind;
  }

  /**
   * The fencing token: strictly increasing over all grants of the cluster, so a later holder
   * of this lock always has a greater token.
   */
  public long token() {
    return token;
  }

  /** The token as a write guard for the key-value store. */
  public Fence fence() {
    return Fence.lock(name, token);
  }

  public LockMode mode() {
    return mode;
  }

  /** Leader wall-clock time of the grant. */
  public Instant heldSince() {
    return heldSince;
  }

  /** The store revision that made the grant. */
  public long revision() {
    return revision;
  }

  /** True if the session already held this grant when it asked (same token). */
  public boolean reentrant() {
    return reentrant;
  }

  /** The session holding the grant. */
  public Session session() {
    return session;
  }

  /**
   * Completes when the session holding the grant is LOST before the grant was released:
   * from then on, act as if the lock were gone. Never completes after {@link #release()}.
   */
  public CompletableFuture<SessionLoss> lost() {
    return hold.lost();
  }

  /** True until released or lost (an operator's break is not seen here; fences see it). */
  public boolean isHeld() {
    return hold.holds();
  }

  /**
   * Releases the grant: through the session's end when the session was granted for this
   * acquisition (its keys go too), else by token. Idempotent; never throws (if the cluster
   * cannot be reached, the grant ends with its session).
   */
  public void release() {
    if (!hold.end()) {
      return;
    }
    if (ownsSession) {
      session.close();
    } else {
      client.releaseQuietly(name, token);
    }
  }

  /** {@link #release()}. */
  @Override
  public void close() {
    release();
  }

  @Override
  public String toString() {
    return "HeldLock{" + name + ", token=" + token + ", session=" + session.id()
        + (kind == LockKind.READ_WRITE ? ", " + mode : "") + "}";
  }
}
