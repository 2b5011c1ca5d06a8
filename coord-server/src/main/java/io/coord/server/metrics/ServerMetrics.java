package io.coord.server.metrics;

import io.coord.server.Version;
import io.coord.server.raft.RaftNode;
import io.coord.server.statemachine.CoordStateMachine;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.function.DoubleSupplier;

/**
 * The member's Raft and store metrics, named after etcd's ({@code etcd_server_*},
 * {@code etcd_mvcc_*}) with the {@code coord_} prefix, so dashboards and alerts translate.
 */
public final class ServerMetrics {
  private ServerMetrics() {}

  public static void register(CoordMetrics metrics, RaftNode raft,
      CoordStateMachine stateMachine) {
    PrometheusRegistry registry = metrics.registry();
    metrics.gauge("coord_server_has_leader", "1 if this member knows a leader, else 0.",
        () -> raft.leaderName() != null ? 1 : 0);
    metrics.gauge("coord_server_is_leader", "1 if this member is the leader, else 0.",
        () -> raft.isLeader() ? 1 : 0);
    metrics.gauge("coord_server_is_learner", "1 if this member is a non-voting learner.",
        () -> "LISTENER".equals(raft.status().role()) ? 1 : 0);
    metrics.gauge("coord_server_raft_term", "The Raft term this member knows.",
        raft::currentTerm);
    counter(registry, "coord_server_leader_changes_seen",
        "Leader changes this member saw since it started.", raft::leaderChangesSeen);
    counter(registry, "coord_server_raft_links_reconnected",
        "Raft links to followers this member closed as leader because nothing crossed them for"
            + " an election timeout.", raft::stalledLinksReconnected);
    counter(registry, "coord_server_proposals_committed",
        "Raft log index this member knows committed.", () -> raft.status().commitIndex());
    counter(registry, "coord_server_proposals_applied",
        "Raft log index this member applied.", () -> raft.status().appliedIndex());
    metrics.gauge("coord_server_proposals_pending",
        "Client writes this member is carrying to the leader, not yet committed.",
        () -> raft.proposer().pending());
    counter(registry, "coord_server_proposals_failed",
        "Client writes this member could not get committed (no leader, timeout, stopping).",
        () -> raft.proposer().failed());
    metrics.gauge("coord_mvcc_current_revision", "The store revision.",
        stateMachine::revision);
    metrics.gauge("coord_mvcc_compact_revision", "The oldest revision still readable.",
        stateMachine::compactRevision);
    metrics.gauge("coord_mvcc_db_total_size_in_bytes",
        "Size of the state store (table files and memtables).", stateMachine::storeSizeBytes);
    metrics.gauge("coord_server_raft_storage_size_in_bytes",
        "Size of the Raft log and snapshots on disk.", raft::raftStorageBytes);
    Info.builder().name("coord_server_version").help("The member's software version.")
        .labelNames("server_version").register(registry).addLabelValues(Version.current());

    Histogram apply = Histogram.builder()
        .name("coord_server_apply_duration_seconds")
        .help("Time to apply one Raft log entry to the state store.")
        .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
        .classicOnly()
        .classicExponentialUpperBounds(0.0001, 2, 16)
        .register(registry);
    raft.observeApply(nanos -> apply.observe(nanos / 1e9));
    registry.register(new RatisMetricsBridge(raft.name()));
  }

  private static void counter(PrometheusRegistry registry, String name, String help,
      DoubleSupplier value) {
    CounterWithCallback.builder().name(name).help(help)
        .callback(callback -> {
          double current = CoordMetrics.read(value);
          if (!Double.isNaN(current)) {
            callback.call(Math.max(0, current));
          }
        })
        .register(registry);
  }
}
