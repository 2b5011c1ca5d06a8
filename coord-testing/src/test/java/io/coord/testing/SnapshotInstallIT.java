package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.server.config.ConfigKeys;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A member that was down while the log was purged past its index comes back by snapshot. */
@Timeout(300)
class SnapshotInstallIT {
  @Test
  void aFollowerBehindThePurgedLogInstallsASnapshot() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.SNAPSHOT_THRESHOLD, "64")
        .set(ConfigKeys.LOG_PURGE_GAP, "16")
        .set(ConfigKeys.LOG_PRESERVE, "0")
        .set(ConfigKeys.LOG_SEGMENT_SIZE, "1MiB")
        .build().start()) {
      String leader = cluster.awaitLeader().name();
      String lagging = cluster.members().stream().map(CoordTestCluster.Member::name)
          .filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      CoordClient client = cluster.newClient();
      client.kv().put("before", "x");
      cluster.stop(lagging);
      // Sequential 2 KiB writes: one log entry each, so the log grows past several snapshots
      // and whole 1 MiB segments become purgeable.
      String padding = "x".repeat(2048);
      for (int i = 0; i < 1500; i++) {
        client.kv().put("k/" + (i % 100), i + padding);
      }
      long revision = client.kv().put("last", "x").revision();
      cluster.start(lagging);
      cluster.awaitConverged(Duration.ofSeconds(90));
      assertThat(cluster.member(lagging).server().stateMachine().storesReplaced())
          .as("the lagging member's state was replaced by a snapshot").isGreaterThan(0);
      CoordClient direct = cluster.newClient(List.of(cluster.member(lagging).clientAddress()));
      var keys = direct.kv().get("k/", GetOptions.builder().prefix().serializable()
          .minRevision(revision).build());
      assertThat(keys.count()).isEqualTo(100);
      assertThat(direct.kv().get("last", GetOptions.builder().serializable().build())
          .first()).isPresent();
      // It keeps applying new entries after the install.
      long after = client.kv().put("after", "y").revision();
      assertThat(direct.kv().get("after", GetOptions.builder().serializable()
          .minRevision(after).build()).first()).isPresent();
    }
  }
}
