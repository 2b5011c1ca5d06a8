package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.server.config.ConfigKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader's process SIGKILLed: the followers' links to it break, and one of them is elected on
 * that, without waiting for the leader's silence. Election timeouts of 2-4 s make the silence
 * path (1.5 s) and Ratis's timer (2 s and more) slow enough that only the link explains an
 * election started first.
 */
@Timeout(240)
class LeaderKillIT {
  @TempDir
  Path dir;
  private ProcessCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static CoordClient client(List<String> endpoints) {
    return CoordClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(20))
        .attemptTimeout(Duration.ofSeconds(5)).build();
  }

  /** The leader the members name, once it is not {@code not} (null: any). */
  private static String leader(CoordClient client, String not) {
    return Awaitility.await("a leader other than " + not).atMost(Duration.ofSeconds(60))
        .ignoreExceptions()
        .until(() -> client.cluster().members().leader().map(m -> m.name()),
            leader -> leader.isPresent() && !leader.get().equals(not)).get();
  }

  @Test
  void aKilledLeaderIsReplacedOnTheFollowersBrokenLinks() {
    cluster = ProcessCluster.start(dir, 3, Map.of(
        ConfigKeys.ELECTION_TIMEOUT_MIN.name(), "2s",
        ConfigKeys.ELECTION_TIMEOUT_MAX.name(), "4s"));
    String killed;
    try (CoordClient client = client(cluster.endpoints())) {
      killed = leader(client, null);
      client.kv().put("before", "kill");
      for (String follower : followersOf(killed)) {
        Awaitility.await(follower + " holds a link to " + killed)
            .atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> cluster.log(follower).contains("link to the leader " + killed));
      }
    }

    cluster.signal(killed, "KILL");

    try (CoordClient client = client(cluster.endpointsExcept(killed))) {
      // The survivors name the killed leader until they elect another.
      String elected = leader(client, killed);
      client.kv().put("after", "kill");
      assertThat(client.kv().get("before").first().orElseThrow().valueString()).isEqualTo("kill");
      String log = cluster.log(elected);
      assertThat(log).as(elected + " log:\n" + cluster.logTail(elected))
          .containsPattern("link to the leader " + killed + " of term \\d+ lost")
          .containsPattern("started an election: leader " + killed + " of term \\d+ silent for"
              + " \\d+ ms here and its link lost");
    }
  }

  private List<String> followersOf(String leader) {
    return cluster.names().stream().filter(n -> !n.equals(leader)).toList();
  }
}
