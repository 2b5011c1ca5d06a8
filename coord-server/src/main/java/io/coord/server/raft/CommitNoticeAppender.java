package io.coord.server.raft;

import org.apache.ratis.grpc.server.GrpcLogAppender;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.raftlog.RaftLogIOException;

/**
 * Ratis's gRPC log appender, except that a follower hears of a new commit index at once.
 *
 * <p>Ratis 3.3.0 wakes the appenders when the commit index moves, but an appender with no new
 * entries to send builds no request until the next heartbeat (every ~100-200 ms), so a
 * follower learned that an acknowledged write committed, and applied it, only with the next
 * write or heartbeat: a watch served by a follower saw an isolated write ~200 ms late. Here
 * such a wake-up sends a heartbeat, which carries the commit index, once per new commit index
 * and only when no append is awaiting the follower's answer (a heartbeat then could not carry
 * the commit: Ratis sends it without a previous entry). etcd and ZooKeeper tell followers of
 * every commit in the same way.
 *
 * <p>Ratis calls {@link #newAppendEntriesRequest} from the appender's own thread only.
 */
final class CommitNoticeAppender extends GrpcLogAppender {
  private long commitNoticed;

  CommitNoticeAppender(RaftServer.Division server, LeaderState leaderState,
      FollowerInfo follower) {
    super(server, leaderState, follower);
  }

  @Override
  public AppendEntriesRequestProto newAppendEntriesRequest(long callId, boolean heartbeat)
      throws RaftLogIOException {
    AppendEntriesRequestProto request = super.newAppendEntriesRequest(callId, heartbeat);
    long commit = getRaftLog().getLastCommittedIndex();
    if (request == null && commit > commitNoticed && commit > getFollower().getCommitIndex()
        && !hasPendingDataRequests()) {
      request = super.newAppendEntriesRequest(callId, true);
      commitNoticed = commit;
    } else if (request != null) {
      commitNoticed = Math.max(commitNoticed, request.getLeaderCommit());
    }
    return request;
  }
}
