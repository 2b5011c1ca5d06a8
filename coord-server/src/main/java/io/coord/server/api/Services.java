package io.coord.server.api;

import io.coord.server.cluster.LeaderForwarder;
import io.coord.server.cluster.MemberDirectory;
import io.coord.server.cluster.Membership;
import io.coord.server.maintenance.SnapshotExporter;
import io.coord.server.cluster.StatusCollector;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.statemachine.CoordStateMachine;
import io.grpc.BindableService;
import java.util.List;

/** Builds the gRPC services of one member from its parts. */
public final class Services {
  private Services() {}

  public static List<BindableService> create(ServerConfig config, CoordStateMachine stateMachine,
      WritePath writes, ReadPath reads, Headers headers, MemberDirectory directory,
      StatusCollector status, Membership membership, LeaderForwarder leader,
      SnapshotExporter snapshots) {
    Calls calls = new Calls(config.get(ConfigKeys.DEFAULT_REQUEST_TIMEOUT));
    RequestValidator validator = new RequestValidator(config);
    return List.of(
        new KvService(validator, writes, reads, headers, calls),
        new ClusterService(directory, status, stateMachine, headers, calls, membership, leader),
        new MaintenanceService(snapshots, reads, calls));
  }
}
