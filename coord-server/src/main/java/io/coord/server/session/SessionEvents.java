package io.coord.server.session;

/**
 * Told after commit (on the apply thread) that sessions were granted or ended, so in-memory
 * views such as the leader's expiry tracker follow the replicated state. Must not block.
 */
public interface SessionEvents {
  void granted(long sessionId, long ttlMs);

  void ended(long sessionId);

  /** Ignores every event. */
  SessionEvents NONE = new SessionEvents() {
    @Override
    public void granted(long sessionId, long ttlMs) {}

    @Override
    public void ended(long sessionId) {}
  };
}
