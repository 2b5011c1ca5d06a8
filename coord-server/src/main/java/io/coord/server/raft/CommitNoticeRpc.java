package io.coord.server.raft;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * Ratis's gRPC transport with {@link CommitNoticeAppender}s. Ratis finds it by class name
 * ({@code raft.rpc.type}), so it needs a public no-argument constructor.
 */
public final class CommitNoticeRpc implements RpcType {
  @Override
  public String name() {
    return CommitNoticeRpc.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new Factory(parameters);
  }

  private static final class Factory extends GrpcFactory {
    Factory(Parameters parameters) {
      super(parameters);
    }

    @Override
    public LogAppender newLogAppender(RaftServer.Division server, LeaderState leaderState,
        FollowerInfo follower) {
      return new CommitNoticeAppender(server, leaderState, follower);
    }
  }
}
