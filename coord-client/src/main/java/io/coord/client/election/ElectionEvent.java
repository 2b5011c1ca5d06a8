package io.coord.client.election;

import java.util.Optional;

/**
 * A change of an election seen by an observer.
 *
 * @param type LEADER (a new leader, or the leader's new value) or NO_LEADER
 * @param leader the leader, for LEADER
 * @param revision the revision of the change (for the first event of an observation from now:
 *     the revision at which the state was read)
 */
public record ElectionEvent(Type type, Optional<LeaderInfo> leader, long revision) {
  /** What happened. */
  public enum Type {
    LEADER,
    NO_LEADER
  }

  static ElectionEvent of(io.coord.proto.v1.ElectionEvent event) {
    return event.getType() == io.coord.proto.v1.ElectionEvent.Type.LEADER
        ? new ElectionEvent(Type.LEADER, Optional.of(LeaderInfo.of(event.getLeader())),
            event.getRevision())
        : new ElectionEvent(Type.NO_LEADER, Optional.empty(), event.getRevision());
  }

  /** The same state (who leads, with which term and value), ignoring the revision. */
  boolean sameState(ElectionEvent other) {
    return other != null && type == other.type
        && leader.map(l -> other.leader.filter(o -> o.term() == l.term()
            && o.value().equals(l.value())).isPresent()).orElse(other.leader.isEmpty());
  }

  @Override
  public String toString() {
    return leader.map(l -> "LEADER term=" + l.term() + " session=" + l.session() + " value="
        + l.valueString()).orElse("NO_LEADER") + " @" + revision;
  }
}
