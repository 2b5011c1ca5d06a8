package io.coord.server.config;

import java.time.Duration;

/**
 * The bounds of session TTLs. The minimum follows the election timeout: a session must outlive
 * a leader change (detection, election, the client reconnecting and keeping alive again), or
 * every failover would expire healthy sessions.
 */
public final class SessionTtls {
  /** Default minimum TTL, in election timeouts (max), rounded up to whole seconds. */
  public static final int DEFAULT_MIN_TTL_FACTOR = 5;
  /** A configured minimum TTL must be at least this many election timeouts (max). */
  public static final int LOWEST_MIN_TTL_FACTOR = 2;

  private SessionTtls() {}

  /** The default minimum TTL for an election timeout (max). */
  public static Duration defaultMinimum(Duration electionTimeoutMax) {
    return wholeSecondsAtLeast(electionTimeoutMax.multipliedBy(DEFAULT_MIN_TTL_FACTOR));
  }

  static void validate(Duration configuredMin, Duration max, Duration electionTimeoutMax) {
    if (!isWholeSeconds(max)) {
      throw new ConfigException(ConfigKeys.SESSION_MAX_TTL + ": must be whole seconds (TTLs are"
          + " granted in seconds), got " + Parsers.format(max));
    }
    Duration lowest = wholeSecondsAtLeast(electionTimeoutMax.multipliedBy(LOWEST_MIN_TTL_FACTOR));
    Duration min = configuredMin != null ? configuredMin : defaultMinimum(electionTimeoutMax);
    if (configuredMin != null) {
      if (!isWholeSeconds(configuredMin)) {
        throw new ConfigException(ConfigKeys.SESSION_MIN_TTL + ": must be whole seconds (TTLs"
            + " are granted in seconds), got " + Parsers.format(configuredMin));
      }
      if (configuredMin.compareTo(lowest) < 0) {
        throw new ConfigException(ConfigKeys.SESSION_MIN_TTL + ": must be at least "
            + Parsers.format(lowest) + " (" + LOWEST_MIN_TTL_FACTOR + " x "
            + ConfigKeys.ELECTION_TIMEOUT_MAX + " = " + Parsers.format(electionTimeoutMax)
            + ", rounded up to seconds), got " + Parsers.format(configuredMin));
      }
    }
    if (min.compareTo(max) > 0) {
      throw new ConfigException(ConfigKeys.SESSION_MAX_TTL + ": " + Parsers.format(max)
          + " is below the minimum session TTL " + Parsers.format(min) + " ("
          + (configuredMin != null ? ConfigKeys.SESSION_MIN_TTL.name()
              : DEFAULT_MIN_TTL_FACTOR + " x " + ConfigKeys.ELECTION_TIMEOUT_MAX) + ")");
    }
  }

  private static boolean isWholeSeconds(Duration duration) {
    return duration.toMillis() % 1000 == 0;
  }

  private static Duration wholeSecondsAtLeast(Duration duration) {
    long millis = duration.toMillis();
    return Duration.ofSeconds((millis + 999) / 1000);
  }
}
