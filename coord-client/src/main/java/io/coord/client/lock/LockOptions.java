package io.coord.client.lock;

import io.coord.client.session.Session;
import java.time.Duration;

/**
 * Which session holds a lock. By default each acquisition grants its own session (with
 * {@link Builder#ttl(Duration)}, 10 s unless set), kept alive while the lock is held and
 * revoked when it is released: simple and leak-free, at the cost of two more writes per
 * acquisition. Pass a {@link Builder#session(Session)} to hold locks with a session of your
 * own: an acquire and a release are then one write each. Immutable.
 */
public final class LockOptions {
  /** A session of its own per acquisition, TTL 10 s. */
  public static final LockOptions DEFAULT = builder().build();

  private final Duration ttl;
  private final Session session;

  private LockOptions(Builder builder) {
    this.ttl = builder.ttl;
    this.session = builder.session;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The TTL of the sessions granted per acquisition. */
  public Duration ttl() {
    return ttl;
  }

  /** The session that holds the lock, or null for one per acquisition. */
  public Session session() {
    return session;
  }

  /** Builds {@link LockOptions}. */
  public static final class Builder {
    private Duration ttl = Duration.ofSeconds(10);
    private Session session;

    /**
     * The TTL of the session granted for each acquisition: how long a crashed holder keeps
     * the lock at most. The server may raise it to its minimum.
     */
    public Builder ttl(Duration ttl) {
      if (ttl.isNegative() || ttl.isZero()) {
        throw new IllegalArgumentException("ttl must be positive, got " + ttl);
      }
      this.ttl = ttl;
      return this;
    }

    /**
     * Holds the lock with {@code session}, which the caller keeps alive and closes. Locks held
     * this way are re-entrant for that session: acquiring again returns the same grant.
     */
    public Builder session(Session session) {
      this.session = session;
      return this;
    }

    public LockOptions build() {
      return new LockOptions(this);
    }
  }
}
