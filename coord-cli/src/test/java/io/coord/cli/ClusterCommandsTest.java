package io.coord.cli;

import static io.coord.cli.Cli.coord;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.cli.Cli.Run;
import io.coord.testing.CoordTestCluster;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedCluster.class)
@Timeout(120)
class ClusterCommandsTest {

  @Test
  void memberListPrintsOneLinePerMemberWithTheLeaderMarked() {
    CoordTestCluster cluster = SharedCluster.cluster();
    String leader = cluster.awaitLeader().name();

    Run list = coord("member", "list");

    assertThat(list.exitCode()).as(list.toString()).isZero();
    assertThat(list.lines()).hasSize(3);
    for (CoordTestCluster.Member member : cluster.members()) {
      assertThat(list.lines()).anySatisfy(line -> assertThat(line).matches(
          "[0-9a-f]{16}, " + member.name() + ", " + member.peerAddress() + ", "
              + member.clientAddress() + ", " + member.httpAddress() + ", false, "
              + member.name().equals(leader)));
    }
  }

  @Test
  void memberListAsTable() {
    Run table = coord("-o", "table", "member", "list");

    assertThat(table.lines()).hasSize(7);
    assertThat(table.lines().get(1)).matches(
        "\\| ID +\\| NAME +\\| PEER ADDR +\\| CLIENT ADDR +\\| HTTP ADDR +\\| LEARNER +"
            + "\\| LEADER +\\|");
    assertThat(table.lines().subList(3, 6)).allMatch(line -> line.matches(
        "\\| [0-9a-f]{16} \\| n[1-3] +\\| 127\\.0\\.0\\.1:\\d+ \\| 127\\.0\\.0\\.1:\\d+ \\|"
            + " 127\\.0\\.0\\.1:\\d+ \\| false +\\| (true|false) +\\|"));
  }

  @Test
  void clusterStatusShowsEveryMemberHealthyAndOneLeader() {
    Run status = coord("cluster", "status");

    assertThat(status.exitCode()).as(status.toString()).isZero();
    List<String> lines = status.lines();
    assertThat(lines).hasSize(3);
    assertThat(lines).allMatch(line -> line.matches(
        "n[1-3], [0-9a-f]{16}, 127\\.0\\.0\\.1:\\d+, (LEADER|FOLLOWER), \\d+, \\d+, \\d+,"
            + " \\d+, [0-9.]+ \\w+, healthy, "));
    assertThat(lines).filteredOn(line -> line.contains(", LEADER, ")).hasSize(1);
  }

  @Test
  void clusterStatusAsTable() {
    Run table = coord("-o", "table", "cluster", "status");

    assertThat(table.lines()).hasSize(7);
    assertThat(table.lines().get(1)).matches("\\| NAME +\\| ID +\\| HTTP ADDR +\\| ROLE +\\| TERM +"
        + "\\| COMMIT +\\| APPLIED +\\| REVISION +\\| DB SIZE +\\| HEALTH +\\| REASON +\\|");
    assertThat(table.lines().subList(3, 6)).allMatch(line -> line.contains("| healthy "));
  }

  @Test
  void clusterHealthAsTable() {
    Run table = coord("-o", "table", "cluster", "health");

    assertThat(table.lines()).as(table.toString()).hasSize(7);
    assertThat(table.lines().get(1))
        .matches("\\| MEMBER +\\| ROLE +\\| LAST CONTACT +\\| LAG +\\| HEALTH +\\|");
    assertThat(table.lines().subList(3, 6)).allMatch(line -> line.matches(
        "\\| n[1-3] +\\| (LEADER|FOLLOWER) +\\| \\d+ms +\\| \\d+ +\\| \\S.*\\|"));
    assertThat(table.exitCode()).isEqualTo(table.out().contains("unhealthy") ? 1 : 0);
  }
}
