package io.coord.client.discovery;

/** Health of an instance or of one of its checks. */
public enum HealthStatus {
  /** Checks succeed (or there are none) and the session lives: send traffic. */
  PASSING,
  /** A check asked for less traffic (HTTP 429); still healthy. */
  WARNING,
  /** A check failed its threshold, or has not succeeded yet: no traffic. */
  CRITICAL;

  /** True for PASSING and WARNING. */
  public boolean healthy() {
    return this != CRITICAL;
  }

  static HealthStatus of(io.coord.proto.v1.HealthStatus status) {
    return switch (status) {
      case PASSING -> PASSING;
      case WARNING -> WARNING;
      default -> CRITICAL;
    };
  }
}
