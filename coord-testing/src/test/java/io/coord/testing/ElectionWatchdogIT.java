package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.server.cluster.ElectionWatchdog;
import io.coord.server.config.ConfigKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The election watchdog on real members. Election timeouts of 2-4 s put Ratis's own timer out
 * of the race: the watchdog acts after 1.5 s of silence (3/4 of the minimum), Ratis not
 * before 2 s.
 */
@Timeout(180)
class ElectionWatchdogIT {
  private CoordTestCluster cluster;

  private CoordTestCluster start(CoordTestCluster.Builder builder) {
    cluster = builder.size(3)
        .set(ConfigKeys.ELECTION_TIMEOUT_MIN, "2s")
        .set(ConfigKeys.ELECTION_TIMEOUT_MAX, "4s")
        .build().start();
    cluster.awaitLeader();
    // Members find each other's client addresses (where they ask) in the replicated directory.
    try (CoordClient client = cluster.newClient()) {
      Awaitility.await("every member published its client address")
          .atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> client.cluster().members().members().stream()
              .filter(m -> !m.clientAddress().isEmpty()).count() == 3);
    }
    return cluster;
  }

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private List<CoordTestCluster.Member> followersOf(CoordTestCluster.Member leader) {
    return cluster.running().stream().filter(m -> !m.name().equals(leader.name())).toList();
  }

  private static ElectionWatchdog watchdog(CoordTestCluster.Member member) {
    return member.server().electionWatchdog().orElseThrow();
  }

  @Test
  void whenTheLeaderStopsTheFollowerThatAskedTheOthersIsElected() {
    start(CoordTestCluster.builder());
    CoordTestCluster.Member oldLeader = cluster.awaitLeader();
    long oldTerm = oldLeader.server().raft().currentTerm();
    // A follower's link opens on its watchdog's next tick after it learns the leader's address.
    for (CoordTestCluster.Member follower : followersOf(oldLeader)) {
      Awaitility.await(follower.name() + " holds a link to the leader")
          .atMost(Duration.ofSeconds(30))
          .until(() -> follower.server().leaderLink().openTo(),
              linked -> linked.equals(Optional.of(oldLeader.name())));
    }
    cluster.stop(oldLeader.name());

    CoordTestCluster.Member newLeader = cluster.awaitLeader(Duration.ofSeconds(60));
    assertThat(newLeader.server().raft().currentTerm()).isGreaterThan(oldTerm);
    assertThat(watchdog(newLeader).campaigns()).as("elections the new leader started")
        .isEqualTo(1);
    // The stopping leader ended the followers' links to it: no need to wait for its silence.
    assertThat(watchdog(newLeader).campaignsOnLostLink()).as("of which on a lost link")
        .isEqualTo(1);
    assertThat(followersOf(newLeader)).singleElement()
        .satisfies(other -> assertThat(watchdog(other).campaigns()).isZero());
  }

  @Test
  void aFollowerCutOffFromTheLeaderAloneDoesNotDeposeIt() {
    start(CoordTestCluster.builder().peerLinks());
    CoordTestCluster.Member leader = cluster.awaitLeader();
    long term = leader.server().raft().currentTerm();
    CoordTestCluster.Member follower = followersOf(leader).get(0);

    cluster.isolate(follower.name());
    try {
      // It lost the leader and asked, more than once; the other follower still hears it.
      Awaitility.await("the isolated follower asked the others").atMost(Duration.ofSeconds(60))
          .until(() -> watchdog(follower).consultations() >= 3);
      assertThat(watchdog(follower).campaigns()).isZero();
      assertThat(leader.server().raft().isLeader()).isTrue();
      assertThat(leader.server().raft().currentTerm()).isEqualTo(term);
    } finally {
      cluster.heal(follower.name());
    }
  }
}
