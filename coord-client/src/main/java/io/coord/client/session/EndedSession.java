package io.coord.client.session;

import java.time.Duration;
import java.time.Instant;

/**
 * The server's record of a session that ended.
 *
 * @param id the session
 * @param reason why it ended
 * @param revision the revision that deleted its keys (the revision current at the end if it
 *     had none)
 * @param endedAt the leader's wall-clock time of the end
 * @param keysDeleted number of keys deleted with it
 * @param ttl its TTL
 * @param grantedAt the leader's wall-clock time of the grant
 */
public record EndedSession(long id, EndReason reason, long revision, Instant endedAt,
    long keysDeleted, Duration ttl, Instant grantedAt) {

  /** Converts the wire form. */
  public static EndedSession of(io.coord.proto.v1.EndedSession end) {
    return new EndedSession(end.getId(), EndReason.of(end.getReason()), end.getRevision(),
        Instant.ofEpochMilli(end.getEndedAtMs()), end.getKeysDeleted(),
        Duration.ofSeconds(end.getTtl()), Instant.ofEpochMilli(end.getGrantedAtMs()));
  }
}
