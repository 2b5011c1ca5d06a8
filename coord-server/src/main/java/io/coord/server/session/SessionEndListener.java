package io.coord.server.session;

import io.coord.proto.v1.SessionEndReason;
import io.coord.server.kv.KvWriter;
import io.coord.server.statemachine.ApplyContext;

/**
 * Told, inside the apply that ends a session, that it ended: features that hold things on
 * behalf of sessions (locks, elections, registrations) release them here, in the same atomic
 * write. Called on every member in log order; must be deterministic like any apply code.
 */
@FunctionalInterface
public interface SessionEndListener {
  /**
   * Session {@code sessionId} ended.
   *
   * @param writer the key changes of the end: changes made through it share the revision that
   *     deletes the session's keys
   */
  void onSessionEnd(ApplyContext context, KvWriter writer, long sessionId,
      SessionEndReason reason);
}
