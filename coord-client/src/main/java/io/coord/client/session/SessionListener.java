package io.coord.client.session;

/**
 * Told about every state change of a {@link Session}, in order, on a thread dedicated to
 * session listeners (one per client). Keep it short: a slow listener delays the others.
 */
@FunctionalInterface
public interface SessionListener {
  /** {@code session} entered {@code state}. */
  void stateChanged(Session session, SessionState state);
}
