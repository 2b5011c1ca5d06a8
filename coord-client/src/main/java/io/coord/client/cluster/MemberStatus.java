package io.coord.client.cluster;

/**
 * The status of one member.
 *
 * @param member who
 * @param role LEADER, FOLLOWER, CANDIDATE, LEARNER or ROLE_UNKNOWN (unreachable)
 * @param raftTerm its current term
 * @param leaderId the leader it knows, or 0
 * @param commitIndex highest log index it knows committed
 * @param appliedIndex highest log index it applied
 * @param revision its store revision
 * @param compactRevision oldest revision still readable on it
 * @param dbSizeBytes size of its state store
 * @param raftLogSizeBytes size of its Raft log and snapshots
 * @param lastContactMs milliseconds since the leader last heard from it (-1: unknown)
 * @param lagEntries log entries it is behind the leader (-1: unknown)
 * @param healthy whether it is reachable, has a leader and keeps up
 * @param reason why it is unhealthy (empty when healthy)
 * @param version its software version
 */
public record MemberStatus(Member member, String role, long raftTerm, long leaderId,
    long commitIndex, long appliedIndex, long revision, long compactRevision, long dbSizeBytes,
    long raftLogSizeBytes, long lastContactMs, long lagEntries, boolean healthy, String reason,
    String version) {

  /** Converts the wire form. */
  public static MemberStatus of(io.coord.proto.v1.MemberStatus s) {
    return new MemberStatus(Member.of(s.getMember()), s.getRole().name(), s.getRaftTerm(),
        s.getLeaderId(), s.getCommitIndex(), s.getAppliedIndex(), s.getRevision(),
        s.getCompactRevision(), s.getDbSizeBytes(), s.getRaftLogSizeBytes(),
        s.getLastContactMs(), s.getLagEntries(), s.getHealthy(), s.getReason(), s.getVersion());
  }

  public boolean isLeader() {
    return "LEADER".equals(role);
  }
}
