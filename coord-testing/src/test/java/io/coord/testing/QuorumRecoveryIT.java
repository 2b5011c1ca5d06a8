package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.server.config.ConfigKeys;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * How fast a cluster gets its quorum back. Both scenarios come from a chaos run: a partition
 * healed, the other follower paused, the leader lost its quorum and then sat out elections
 * that only it could win.
 */
@Timeout(180)
class QuorumRecoveryIT {
  private CoordTestCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /**
   * A follower whose partition heals counts toward the leader's quorum again within a
   * heartbeat or so, however long it was cut off: the leader's retries to an unreachable
   * follower must not back off for longer than the cluster can spare that follower.
   */
  @Test
  void aHealedFollowerKeepsTheLeaderInChargeWhenTheOtherFollowerStops() throws Exception {
    // A short request timeout makes unanswered appends count as errors at the leader sooner.
    cluster = CoordTestCluster.builder().size(3).peerLinks()
        .set(ConfigKeys.RAFT_REQUEST_TIMEOUT, "1s").build().start();
    CoordTestCluster.Member leader = cluster.awaitLeader();
    long term = leader.server().raft().currentTerm();
    List<CoordTestCluster.Member> followers = cluster.running().stream()
        .filter(m -> !m.name().equals(leader.name())).toList();

    try (CoordClient client = cluster.newClient(List.of(leader.clientAddress()))) {
      // The leader's back-off is randomized; two rounds make a long one show.
      for (int round = 0; round < 2; round++) {
        CoordTestCluster.Member healed = followers.get(round % 2);
        CoordTestCluster.Member other = followers.get((round + 1) % 2);

        cluster.isolate(healed.name());
        writeUntil(client, () -> lastContactMs(leader, healed) >= 5_000);
        cluster.heal(healed.name());
        cluster.stop(other.name());

        // Only the healed follower can make a majority with the leader now.
        client.kv().put("heal/after-" + round, "y");
        assertThat(leader.server().raft().isLeader()).as(leader.name() + " still leads")
            .isTrue();
        assertThat(leader.server().raft().currentTerm()).as("term").isEqualTo(term);

        cluster.start(other.name());
        Awaitility.await(other.name() + " caught up").atMost(Duration.ofSeconds(60))
            .until(() -> other.server().raft().status().appliedIndex()
                >= leader.server().raft().status().commitIndex());
      }
    }
  }

  /**
   * A leader that lost its quorum holds entries its one reachable peer lacks, so only it can be
   * elected: once a majority is back it must campaign within an election timeout or two, not
   * sit out elections for seconds.
   */
  @Test
  void aLeaderThatLostItsQuorumIsElectedAgainWhenABehindFollowerReturns() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    CoordTestCluster.Member leader = cluster.awaitLeader();
    List<CoordTestCluster.Member> followers = cluster.running().stream()
        .filter(m -> !m.name().equals(leader.name())).toList();
    CoordTestCluster.Member behind = followers.get(0);
    CoordTestCluster.Member last = followers.get(1);

    try (CoordClient client = cluster.newClient(List.of(leader.clientAddress()))) {
      client.kv().put("quorum/before", "x");
      cluster.stop(behind.name());
      for (int i = 0; i < 20; i++) {
        client.kv().put("quorum/missed-" + i, Integer.toString(i));
      }
      cluster.stop(last.name());
      Awaitility.await(leader.name() + " stepped down without a quorum")
          .atMost(Duration.ofSeconds(30))
          .until(() -> !leader.server().raft().isLeader());

      cluster.start(behind.name());
      // Ratis's default made the old leader sit out elections for 10 s after stepping down.
      CoordTestCluster.Member elected = cluster.awaitLeader(Duration.ofSeconds(5));
      assertThat(elected.name()).as("the only member with every entry").isEqualTo(leader.name());
      assertThat(client.kv().get("quorum/missed-19").first()).isPresent();
    }
  }

  /**
   * Writes until {@code done}: appends to a cut-off follower go unanswered and count as errors
   * at the leader.
   */
  private static void writeUntil(CoordClient client, java.util.function.BooleanSupplier done)
      throws InterruptedException {
    AtomicBoolean writing = new AtomicBoolean(true);
    AtomicLong written = new AtomicLong();
    Thread writer = new Thread(() -> {
      for (int i = 0; i < 100_000 && writing.get(); i++) {
        client.kv().put("heal/" + (i % 64), Integer.toString(i));
        written.incrementAndGet();
      }
    }, "heal-writer");
    writer.start();
    try {
      Awaitility.await("the leader heard nothing from the cut-off follower for 5 s")
          .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
          .until(done::getAsBoolean);
    } finally {
      writing.set(false);
      writer.join();
    }
    assertThat(written.get()).as("writes acknowledged with one follower cut off").isPositive();
  }

  private static long lastContactMs(CoordTestCluster.Member leader,
      CoordTestCluster.Member follower) {
    var progress = leader.server().raft().status().followers().get(follower.name());
    return progress == null ? 0 : progress.lastContactMs();
  }
}
