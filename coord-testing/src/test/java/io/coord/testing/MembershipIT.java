package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.NotFoundException;
import io.coord.client.UnavailableException;
import io.coord.client.cluster.Member;
import io.coord.client.cluster.MemberStatus;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import io.coord.server.config.ConfigKeys;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Growing, shrinking and repairing a running cluster. */
@Timeout(300)
class MembershipIT {

  @Test
  void growsFromThreeToFiveAndShrinksBackUnderWriteLoadWithoutLosingAWrite() throws Exception {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      cluster.awaitLeader();
      CoordClient client = cluster.newClient();
      Set<String> acknowledged = ConcurrentHashMap.newKeySet();
      AtomicBoolean writing = new AtomicBoolean(true);
      Thread writer = new Thread(() -> {
        for (int i = 0; writing.get() && i < 100_000; i++) {
          try {
            client.kv().put("load/" + i, "v" + i);
            acknowledged.add("load/" + i);
          } catch (CoordException unknownOutcome) {
            // not acknowledged: it may or may not exist
          }
        }
      }, "membership-writer");
      writer.start();
      try {
        awaitMoreWrites(acknowledged, 50);
        cluster.addMember("n4", true);
        assertThat(member(client, "n4").learner()).isTrue();
        awaitCaughtUp(client, "n4");
        cluster.promoteMember("n4");
        assertThat(member(client, "n4").learner()).isFalse();
        awaitMoreWrites(acknowledged, 50);

        // A voter can also be added directly: the leader stages it until it caught up.
        cluster.addMember("n5", false);
        assertThat(voters(client)).containsExactlyInAnyOrder("n1", "n2", "n3", "n4", "n5");
        awaitMoreWrites(acknowledged, 50);

        // Shrink back, removing the leader first: leadership moves before it leaves.
        String leader = cluster.awaitLeader().name();
        cluster.removeMember(leader, Duration.ofSeconds(30));
        assertThat(cluster.member(leader).isRemoved()).isTrue();
        awaitMoreWrites(acknowledged, 50);
        String follower = cluster.running().stream().map(CoordTestCluster.Member::name)
            .filter(n -> !n.equals(cluster.awaitLeader().name())).findFirst().orElseThrow();
        cluster.removeMember(follower, Duration.ofSeconds(30));
        awaitMoreWrites(acknowledged, 50);
        assertThat(voters(client)).hasSize(3).doesNotContain(leader, follower);

        // A removed member no longer serves clients.
        try (CoordClient direct = CoordClient.builder()
            .endpoints(cluster.member(follower).clientAddress())
            .requestTimeout(Duration.ofSeconds(2)).build()) {
          assertThatThrownBy(() -> direct.kv().get("load/0"))
              .isInstanceOf(UnavailableException.class);
        }
      } finally {
        writing.set(false);
        writer.join();
      }
      Set<String> stored = client.kv().get("load/", GetOptions.builder().prefix().build())
          .kvs().stream().map(KeyValue::keyString).collect(Collectors.toSet());
      assertThat(stored).containsAll(acknowledged);
      cluster.awaitConverged(Duration.ofSeconds(60));
      assertThat(cluster.fatalErrors()).isEmpty();
    }
  }

  @Test
  void aLearnerCatchesUpBySnapshotAndIsPromotedOnlyOnceCaughtUp() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.SNAPSHOT_THRESHOLD, "64")
        .set(ConfigKeys.LOG_PURGE_GAP, "16")
        .set(ConfigKeys.LOG_PRESERVE, "0")
        .set(ConfigKeys.LOG_SEGMENT_SIZE, "1MiB")
        .set(ConfigKeys.PROMOTE_MAX_LAG, "20")
        .build().start()) {
      cluster.awaitLeader();
      CoordClient client = cluster.newClient();
      String padding = "x".repeat(2048);
      for (int i = 0; i < 800; i++) {
        client.kv().put("k/" + (i % 100), i + padding);
      }
      cluster.addMember("n4", true);
      awaitCaughtUp(client, "n4");
      assertThat(cluster.member("n4").server().stateMachine().storesReplaced())
          .as("the learner started from a snapshot, the log being purged").isGreaterThan(0);
      MemberStatus learner = client.cluster().status().stream()
          .filter(s -> s.member().name().equals("n4")).findFirst().orElseThrow();
      assertThat(learner.role()).isEqualTo("LEARNER");
      assertThat(learner.member().learner()).isTrue();

      // Behind by more than the allowed lag: refused, naming the lag.
      cluster.stop("n4");
      for (int i = 0; i < 60; i++) {
        client.kv().put("more/" + i, "v");
      }
      assertThatThrownBy(() -> cluster.promoteMember("n4"))
          .isInstanceOf(CoordException.class)
          .satisfies(e -> assertThat(((CoordException) e).reason())
              .isEqualTo("MEMBERSHIP_REFUSED"))
          .hasMessageContaining("n4");
      cluster.start("n4");
      awaitCaughtUp(client, "n4");
      cluster.promoteMember("n4");
      assertThat(voters(client)).contains("n4");
      cluster.awaitConverged(Duration.ofSeconds(60));
    }
  }

  @Test
  void aQuorumLosingRemovalIsRefusedAndADeadMemberIsReplaced() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      String leader = cluster.awaitLeader().name();
      CoordClient client = cluster.newClient();
      client.kv().put("before", "x");
      List<String> followers = cluster.members().stream().map(CoordTestCluster.Member::name)
          .filter(n -> !n.equals(leader)).toList();
      String dead = followers.get(0);
      String alive = followers.get(1);
      cluster.stop(dead);
      // The rule counts the members the leader heard from within an election timeout.
      long timeoutMs = cluster.member(leader).server().config()
          .get(ConfigKeys.ELECTION_TIMEOUT_MAX).toMillis();
      await().atMost(Duration.ofSeconds(30)).until(() -> client.cluster().status().stream()
          .anyMatch(s -> s.member().name().equals(dead) && s.lastContactMs() > timeoutMs));

      assertThatThrownBy(() -> client.cluster().removeMember(alive))
          .isInstanceOf(CoordException.class)
          .satisfies(e -> assertThat(((CoordException) e).reason())
              .isEqualTo("MEMBERSHIP_REFUSED"))
          .hasMessageContaining("lose quorum").hasMessageContaining(dead);
      assertThat(voters(client)).contains(alive);
      assertThatThrownBy(() -> client.cluster().removeMember("nobody"))
          .isInstanceOf(NotFoundException.class);

      // Replace the dead member: remove it, add a fresh one, promote it.
      client.cluster().removeMember(dead);
      assertThat(voters(client)).containsExactlyInAnyOrder(leader, alive);
      cluster.addMember("n4", true);
      awaitCaughtUp(client, "n4");
      cluster.promoteMember("n4");
      assertThat(voters(client)).containsExactlyInAnyOrder(leader, alive, "n4");
      // Ratis never stops a removed learner by itself: the leader tells it.
      cluster.addMember("n5", true);
      cluster.removeMember("n5", Duration.ofSeconds(10));
      assertThat(cluster.member("n5").isRemoved()).isTrue();
      assertThat(cluster.member("n5").isRunning()).isFalse();
      CoordClient fresh = cluster.newClient(List.of(cluster.member("n4").clientAddress()));
      assertThat(fresh.kv().get("before").first()).isPresent();
      // The new member counts for quorum: with the old leader down, n4 and the other elect.
      cluster.stop(leader);
      assertThat(cluster.awaitLeader().name()).isIn(alive, "n4");
      fresh.kv().put("after", "y");
    }
  }

  @Test
  void leadershipMovesOnRequestAndLearnersArePromotedAutomaticallyWhenConfigured() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.AUTO_PROMOTE, "true").build().start()) {
      String leader = cluster.awaitLeader().name();
      CoordClient client = cluster.newClient();
      String target = cluster.members().stream().map(CoordTestCluster.Member::name)
          .filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      long leaderId = client.cluster().transferLeadership(target);
      assertThat(cluster.awaitLeader().name()).isEqualTo(target);
      assertThat(leaderId).isEqualTo(member(client, target).id());

      cluster.addMember("n4", true);
      await().atMost(Duration.ofSeconds(30)).until(() -> voters(client).contains("n4"));
      assertThatThrownBy(() -> client.cluster().transferLeadership("nobody"))
          .isInstanceOf(NotFoundException.class);
    }
  }

  private static Member member(CoordClient client, String name) {
    return client.cluster().members().members().stream().filter(m -> m.name().equals(name))
        .findFirst().orElseThrow(() -> new AssertionError("no member " + name));
  }

  private static List<String> voters(CoordClient client) {
    return client.cluster().members().members().stream().filter(m -> !m.learner())
        .map(Member::name).toList();
  }

  /** Waits until the leader sees {@code name} healthy and not behind. */
  private static void awaitCaughtUp(CoordClient client, String name) {
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
        client.cluster().status().stream().anyMatch(s -> s.member().name().equals(name)
            && s.healthy() && s.lagEntries() == 0));
  }

  private static void awaitMoreWrites(Set<String> acknowledged, int more) {
    int before = acknowledged.size();
    await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20))
        .until(() -> acknowledged.size() >= before + more);
  }
}
