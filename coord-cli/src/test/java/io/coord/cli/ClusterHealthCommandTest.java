package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.testing.CoordTestCluster;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ClusterHealthCommandTest {
  @Test
  void exitsOneWhileAMemberIsDownAndZeroWhenAllAreHealthy() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      String leader = cluster.awaitLeader().name();
      List<String> endpoints = cluster.endpoints();
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> Cli.run(endpoints, "cluster", "health").exitCode() == 0);
      Cli.Result healthy = Cli.run(endpoints, "cluster", "health");
      assertThat(healthy.out()).contains("MEMBER", leader + " ", "LEADER", "cluster is healthy");

      String follower = cluster.members().stream().map(CoordTestCluster.Member::name)
          .filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      cluster.stop(follower);
      List<String> others = cluster.running().stream()
          .map(CoordTestCluster.Member::clientAddress).toList();
      Cli.Result unhealthy = Awaitility.await().atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> Cli.run(others, "cluster", "health"), r -> r.exitCode() == 1);
      assertThat(unhealthy.out())
          .containsPattern("(?m)^" + follower + "\\s+UNKNOWN\\s+.*unhealthy: unreachable")
          .contains("cluster is unhealthy: 1 of 3 members unhealthy");

      cluster.start(follower);
      Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
          .until(() -> Cli.run(endpoints, "cluster", "health").exitCode() == 0);
    }
  }
}
