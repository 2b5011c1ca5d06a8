package io.coord.server.watch;

import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.time.Clock;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Tells when this member has known no Raft leader for longer than a grace period, so that the
 * watches it serves can no longer be trusted to be current: a member cut off from the leader
 * applies nothing, and its watches would stay open with no events and no error (etcd's answer
 * is {@code WithRequireLeader}; here every watch requires a leader).
 *
 * <p>The grace period is {@link ConfigKeys#ELECTION_TIMEOUT_MAX} (see {@link #grace}): Ratis
 * forgets the leader only after the member's own randomized election timeout passed without
 * hearing from it, and an election that goes normally ends within one more timeout of at most
 * the maximum. A member still without a leader after that is partitioned or in a minority,
 * not in a routine leader change; ending its watches then bounds their staleness at about
 * twice the maximum election timeout, while a routine failover does not make every client of
 * the cluster recreate its watches. Lock waits use the same bound for the same reason.
 *
 * <p>Reads only the injected clock, and only from the hub's timer, never from apply.
 */
public final class LeaderLoss {
  private final Clock clock;
  private final BooleanSupplier leaderKnown;
  private final long graceNanos;
  // Guarded by this.
  private long leaderlessSince = -1;

  /**
   * @param leaderKnown true while the member knows a leader (false if it cannot tell)
   * @param grace how long the member may know no leader before its watches end
   */
  public LeaderLoss(Clock clock, BooleanSupplier leaderKnown, Duration grace) {
    this.clock = clock;
    this.leaderKnown = leaderKnown;
    this.graceNanos = grace.toNanos();
  }

  /** The grace period for {@code config}: the maximum election timeout (see the class doc). */
  public static Duration grace(ServerConfig config) {
    return config.get(ConfigKeys.ELECTION_TIMEOUT_MAX);
  }

  /** The grace period. */
  public Duration grace() {
    return Duration.ofNanos(graceNanos);
  }

  /** How often to {@link #check()}: a quarter of the grace, between 10 ms and 250 ms. */
  Duration checkInterval() {
    return Duration.ofNanos(Math.max(10_000_000L, Math.min(250_000_000L, graceNanos / 4)));
  }

  /**
   * Looks whether a leader is known now; returns how long the member has known none, if that
   * is at least the grace period, or {@code null} (a leader is known, or the grace runs).
   */
  synchronized Duration check() {
    boolean known;
    try {
      known = leaderKnown.getAsBoolean();
    } catch (RuntimeException notRunning) {
      known = false;
    }
    long now = clock.monotonicNanos();
    if (known) {
      leaderlessSince = -1;
      return null;
    }
    if (leaderlessSince < 0) {
      leaderlessSince = now;
    }
    long leaderless = now - leaderlessSince;
    return leaderless >= graceNanos ? Duration.ofNanos(leaderless) : null;
  }
}
