package io.coord.server.session;

import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.error.CoordError;
import java.time.Duration;

/**
 * Decides the TTL a grant gets, before anything reaches the log: requests below the minimum
 * are raised (and the response says so), requests above the maximum are refused.
 */
public final class TtlPolicy {
  private final long minSeconds;
  private final long maxSeconds;
  private final String minSource;

  TtlPolicy(long minSeconds, long maxSeconds, String minSource) {
    this.minSeconds = minSeconds;
    this.maxSeconds = maxSeconds;
    this.minSource = minSource;
  }

  public static TtlPolicy of(ServerConfig config) {
    boolean configured = config.get(ConfigKeys.SESSION_MIN_TTL) != null;
    Duration electionTimeout = config.get(ConfigKeys.ELECTION_TIMEOUT_MAX);
    String source = configured ? ConfigKeys.SESSION_MIN_TTL.name()
        : ConfigKeys.SESSION_MIN_TTL.name() + ", by default derived from "
            + ConfigKeys.ELECTION_TIMEOUT_MAX + "=" + electionTimeout.toMillis() + "ms";
    return new TtlPolicy(config.sessionMinTtl().toSeconds(),
        config.get(ConfigKeys.SESSION_MAX_TTL).toSeconds(), source);
  }

  /**
   * The granted TTL.
   *
   * @param ttlSeconds the requested TTL
   * @throws CoordError INVALID_FIELD if not positive, LIMIT_EXCEEDED above the maximum
   */
  public Decision decide(long ttlSeconds) {
    if (ttlSeconds <= 0) {
      throw CoordError.invalidField("session_grant.ttl",
          "must be a positive number of seconds (got " + ttlSeconds + ")");
    }
    if (ttlSeconds > maxSeconds) {
      throw CoordError.limitExceeded("session_grant.ttl", ttlSeconds, maxSeconds, "seconds",
          ConfigKeys.SESSION_MAX_TTL.name());
    }
    if (ttlSeconds < minSeconds) {
      return new Decision(minSeconds, ttlSeconds, "raised from " + ttlSeconds + " s to the "
          + "minimum of " + minSeconds + " s (" + minSource + "): a session must outlive a "
          + "leader change");
    }
    return new Decision(ttlSeconds, 0, "");
  }

  public long minSeconds() {
    return minSeconds;
  }

  /**
   * A granted TTL.
   *
   * @param ttlSeconds what is granted
   * @param requestedSeconds what was asked, if different; else 0
   * @param adjustment why they differ; else empty
   */
  public record Decision(long ttlSeconds, long requestedSeconds, String adjustment) {}
}
