package io.coord.client.session;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A live session.
 *
 * @param id the session
 * @param ttl its granted TTL
 * @param remaining time until the leader expires it unless kept alive; empty when the answering
 *     member could not reach a ready leader
 * @param keyCount number of attached keys
 * @param keys the attached keys, in key order (only when asked for)
 * @param grantedRevision the store revision when it was granted
 * @param grantedAt the leader's wall-clock time of the grant
 */
public record SessionInfo(long id, Duration ttl, Optional<Duration> remaining, long keyCount,
    List<ByteString> keys, long grantedRevision, Instant grantedAt) {

  /** Converts the wire form. */
  public static SessionInfo of(io.coord.proto.v1.SessionInfo info) {
    return new SessionInfo(info.getId(), Duration.ofSeconds(info.getTtl()),
        info.getRemainingMs() < 0 ? Optional.empty()
            : Optional.of(Duration.ofMillis(info.getRemainingMs())),
        info.getKeyCount(), List.copyOf(info.getKeysList()), info.getGrantedRevision(),
        Instant.ofEpochMilli(info.getGrantedAtMs()));
  }
}
