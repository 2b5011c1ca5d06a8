package io.coord.client.session;

/** Why a session ended, as the server recorded it. */
public enum EndReason {
  /** No keep-alive reached the leader within the TTL. */
  TTL_EXPIRED,
  /** The session was revoked. */
  REVOKED,
  /** A reason this client version does not know. */
  UNKNOWN;

  static EndReason of(io.coord.proto.v1.SessionEndReason reason) {
    return switch (reason) {
      case TTL_EXPIRED -> TTL_EXPIRED;
      case REVOKED -> REVOKED;
      default -> UNKNOWN;
    };
  }
}
