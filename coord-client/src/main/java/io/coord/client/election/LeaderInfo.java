package io.coord.client.election;

import com.google.protobuf.ByteString;
import java.time.Instant;

/**
 * A leadership as the cluster records it.
 *
 * @param name the election
 * @param value the value the leader publishes
 * @param term the leadership's term: its fencing token, greater for every later leader
 * @param session the leader's session
 * @param since leader wall-clock time of the election
 * @param revision the store revision that elected it
 */
public record LeaderInfo(String name, ByteString value, long term, long session, Instant since,
    long revision) {
  /** The value as UTF-8 text. */
  public String valueString() {
    return value.toStringUtf8();
  }

  static LeaderInfo of(io.coord.proto.v1.Leadership l) {
    return new LeaderInfo(l.getName(), l.getValue(), l.getTerm(), l.getSession(),
        Instant.ofEpochMilli(l.getSinceMs()), l.getRevision());
  }
}
