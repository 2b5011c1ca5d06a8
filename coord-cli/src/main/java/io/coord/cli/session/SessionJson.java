package io.coord.cli.session;

import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.session.EndedSession;
import io.coord.client.session.SessionInfo;

/** The JSON objects of sessions, shared by the session commands (docs/cli-json.md). */
final class SessionJson {
  private SessionJson() {}

  /** A live session ({@code SessionInfo}); {@code keys} is empty unless they were asked for. */
  static Json live(SessionInfo s, Output out) {
    return Json.object()
        .put("id", s.id())
        .put("ttl", s.ttl().toSeconds())
        .put("remaining_ms", s.remaining().map(r -> r.toMillis()).orElse(-1L))
        .put("key_count", s.keyCount())
        .putList("keys", s.keys(), out::jsonBytes)
        .put("granted_revision", s.grantedRevision())
        .put("granted_at_ms", s.grantedAt().toEpochMilli());
  }

  /** A recently ended session ({@code EndedSession}). */
  static Json ended(EndedSession e) {
    return Json.object()
        .put("id", e.id())
        .put("reason", e.reason().name())
        .put("revision", e.revision())
        .put("ended_at_ms", e.endedAt().toEpochMilli())
        .put("keys_deleted", e.keysDeleted())
        .put("ttl", e.ttl().toSeconds())
        .put("granted_at_ms", e.grantedAt().toEpochMilli());
  }
}
