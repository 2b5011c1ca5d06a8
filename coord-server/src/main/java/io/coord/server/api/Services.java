package io.coord.server.api;

import io.coord.server.cluster.LeaderRoute;
import io.coord.server.cluster.MemberDirectory;
import io.coord.server.cluster.StatusCollector;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.raft.RaftNode;
import io.coord.server.session.SessionTracker;
import io.coord.server.session.TtlPolicy;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.watch.WatchHub;
import io.grpc.BindableService;
import java.util.List;

/** Builds the gRPC services of one member from its parts. */
public final class Services {
  private Services() {}

  /** What the session service is made of, besides the shared parts. */
  public record SessionParts(SessionTracker tracker, KeepAliveStreams keepAlives,
      LeaderRoute route) {}

  public static List<BindableService> create(ServerConfig config, CoordStateMachine stateMachine,
      RaftNode raft, WritePath writes, ReadPath reads, Headers headers, MemberDirectory directory,
      StatusCollector status, SessionParts sessions) {
    Calls calls = new Calls(config.get(ConfigKeys.DEFAULT_REQUEST_TIMEOUT));
    RequestValidator validator = new RequestValidator(config);
    return List.of(
        new KvService(validator, writes, reads, headers, calls),
        new ClusterService(directory, status, stateMachine, headers, calls),
        new SessionService(TtlPolicy.of(config), writes, reads, sessions.tracker(),
            sessions.route(), sessions.keepAlives(), headers, calls,
            config.get(ConfigKeys.ELECTION_TIMEOUT_MAX)),
        new PeerService(raft, calls));
  }

  /** The Watch service over this member's watch hub. */
  public static BindableService watch(ServerConfig config, WatchHub hub) {
    return new WatchService(new RequestValidator(config), hub);
  }
}
