package io.coord.server.api;

import io.coord.server.cluster.FollowerLinks;
import io.coord.server.cluster.LeaderLink;
import io.coord.server.cluster.LeaderRoute;
import io.coord.server.cluster.MemberDirectory;
import io.coord.server.cluster.Membership;
import io.coord.server.cluster.StatusCollector;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.lock.LockWaits;
import io.coord.server.maintenance.SnapshotExporter;
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

  /** Everything the services are made of. */
  public record Parts(ServerConfig config, CoordStateMachine stateMachine, RaftNode raft,
      WritePath writes, ReadPath reads, Headers headers, MemberDirectory directory,
      StatusCollector status, LeaderRoute route, Membership membership,
      SnapshotExporter snapshots, SessionTracker sessions, KeepAliveStreams keepAlives,
      WatchHub watches, LockWaits lockWaits, LeaderLink leaderLink,
      FollowerLinks followerLinks) {}

  public static List<BindableService> create(Parts parts) {
    ServerConfig config = parts.config();
    Calls calls = new Calls(config.get(ConfigKeys.DEFAULT_REQUEST_TIMEOUT));
    RequestValidator validator = new RequestValidator(config);
    LockRequestValidator lockValidator = new LockRequestValidator(config);
    WaitingAcquire.Context waiting = new WaitingAcquire.Context(parts.writes(), parts.reads(),
        parts.lockWaits(), parts.stateMachine(), parts.lockWaits().timers(), calls);
    return List.of(
        new KvService(validator, parts.writes(), parts.reads(), parts.headers(), calls),
        new ClusterService(parts.directory(), parts.status(), parts.stateMachine(),
            parts.headers(), calls, parts.membership(), parts.route()),
        new SessionService(TtlPolicy.of(config), parts.writes(), parts.reads(), parts.sessions(),
            parts.route(), parts.keepAlives(), parts.headers(), calls,
            config.get(ConfigKeys.ELECTION_TIMEOUT_MAX)),
        new PeerService(parts.raft(), calls, parts.leaderLink(), parts.followerLinks()),
        new WatchService(validator, parts.watches()),
        new MaintenanceService(parts.snapshots(), parts.reads(), calls),
        new LockService(lockValidator, waiting, parts.reads(), parts.headers()),
        new ElectionService(lockValidator, waiting, parts.reads(), parts.headers(),
            parts.watches()),
        new DiscoveryService(parts.writes(), parts.reads(), parts.headers(), calls,
            parts.watches()));
  }
}
