package io.coord.client.session;

/**
 * Why a session was lost.
 *
 * @param reason the kind of loss
 * @param message a description, e.g. the server's end record
 */
public record SessionLoss(Reason reason, String message) {
  /** The kinds of loss. */
  public enum Reason {
    /**
     * No keep-alive was acknowledged in time: the server may expire the session any moment (or
     * may have already). Decided by the client alone.
     */
    DEADLINE_PASSED,
    /** The server expired the session (no keep-alive reached the leader within the TTL). */
    EXPIRED,
    /** The session was revoked, by someone else than this handle's {@link Session#close()}. */
    REVOKED,
    /** The server does not know the session (it ended longer ago than it records ends). */
    NOT_FOUND,
    /** This handle was closed: the session was revoked on purpose. */
    CLOSED
  }
}
