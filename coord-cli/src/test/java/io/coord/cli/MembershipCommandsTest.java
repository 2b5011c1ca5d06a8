package io.coord.cli;

import static io.coord.cli.Cli.raw;
import static io.coord.cli.JsonDoc.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.cli.Cli.Run;
import io.coord.client.CoordClient;
import io.coord.testing.CoordTestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** coord member add|promote|remove and coord cluster move-leader on a cluster of their own. */
@Timeout(180)
class MembershipCommandsTest {
  private static CoordTestCluster cluster;

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitLeader();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void addPromoteMoveLeadershipAndRemove() {
    CoordTestCluster.Member n4 = cluster.join("n4");

    Run add = coord("member", "add", "n4", n4.peerAddress(), "--learner");
    assertThat(add.exitCode()).as(add.toString()).isZero();
    assertThat(add.lines()).containsExactly("added n4 as learner at " + n4.peerAddress(),
        "next: once 'coord cluster status' shows it caught up, run: coord member promote n4");
    assertThat(coord("member", "list").out()).contains(", n4, " + n4.peerAddress() + ", ")
        .containsPattern("n4, .*, true, false");

    CoordClient client = cluster.newClient();
    await().atMost(Duration.ofSeconds(60)).until(() -> client.cluster().status().stream()
        .anyMatch(s -> s.member().name().equals("n4") && s.healthy() && s.lagEntries() == 0));
    JsonNode promoted = parse(coord("-o", "json", "member", "promote", "n4"));
    assertThat(promoted.get("name").asText()).isEqualTo("n4");
    assertThat(promoted.get("is_learner").asBoolean()).isFalse();

    Run move = coord("cluster", "move-leader", "n4");
    assertThat(move.exitCode()).as(move.toString()).isZero();
    assertThat(move.out()).isEqualTo("leader is now n4\n");
    assertThat(cluster.awaitLeader().name()).isEqualTo("n4");

    Run remove = coord("member", "remove", "n4");
    assertThat(remove.exitCode()).as(remove.toString()).isZero();
    assertThat(remove.out()).isEqualTo("removed n4\n");
    await().atMost(Duration.ofSeconds(30)).until(() -> !n4.isRunning());
    assertThat(coord("member", "list").lines()).hasSize(3).noneMatch(l -> l.contains("n4"));
  }

  @Test
  void refusalsAreOneLineWithExitCodeOne() {
    Run unknown = coord("member", "remove", "nobody");
    assertThat(unknown.exitCode()).isEqualTo(1);
    assertThat(unknown.err()).isEqualTo("coord: no member named nobody in the cluster"
        + " ('coord member list' shows the members)\n");

    Run notStarted = coord("member", "add", "n9", "127.0.0.1:1");
    assertThat(notStarted.exitCode()).isEqualTo(1);
    assertThat(notStarted.err()).startsWith("coord: n9 does not answer at 127.0.0.1:1: start it"
        + " first with coord.cluster.initial-state=existing and"
        + " coord.cluster.initial-members=").contains("n9=127.0.0.1:1").hasLineCount(1);

    Run badName = coord("member", "add", "bad name!", "127.0.0.1:1");
    assertThat(badName.exitCode()).isEqualTo(1);
    assertThat(badName.err()).startsWith("coord: name: 'bad name!' is not a member name");

    Run missing = coord("member", "add", "n9");
    assertThat(missing.exitCode()).isEqualTo(2);
  }

  private static Run coord(String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoints",
        String.join(",", cluster.endpoints())));
    all.addAll(List.of(args));
    return raw("", all.toArray(String[]::new));
  }
}
