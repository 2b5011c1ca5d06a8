package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import io.coord.server.config.ConfigKeys;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A follower applies an acknowledged write without waiting for the next write or heartbeat: the
 * leader tells it of each new commit index at once. Heartbeats here go every 4 s (half the
 * minimum election timeout), and every one of several writes must show on both followers
 * within 2 s. Each write is isolated: the next is issued only once both followers applied the
 * last, so no later append can carry its commit, and a follower that learned commits only from
 * heartbeats would fail nearly every run.
 */
@Timeout(180)
class CommitNoticeIT {
  private static final Duration ELECTION_TIMEOUT_MIN = Duration.ofSeconds(8);
  private static final Duration WITHIN = ELECTION_TIMEOUT_MIN.dividedBy(4);
  private static final int WRITES = 8;
  private static CoordTestCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.ELECTION_TIMEOUT_MIN, ELECTION_TIMEOUT_MIN.toMillis() + "ms")
        .set(ConfigKeys.ELECTION_TIMEOUT_MAX, ELECTION_TIMEOUT_MIN.multipliedBy(2).toMillis()
            + "ms")
        .build().start();
    cluster.awaitReady(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void followersApplyAnIsolatedWriteBeforeTheNextHeartbeat() {
    var leader = cluster.awaitReady();
    CoordClient writer = cluster.newClient(List.of(leader.clientAddress()));
    List<CoordClient> followers = cluster.members().stream()
        .filter(m -> !m.name().equals(leader.name()))
        .map(m -> cluster.newClient(List.of(m.clientAddress()))).toList();
    GetOptions local = GetOptions.builder().serializable().build();
    for (int i = 0; i < WRITES; i++) {
      long revision = writer.kv().put("notice", Integer.toString(i)).revision();
      for (CoordClient follower : followers) {
        await("a follower's own state at revision " + revision).atMost(WITHIN)
            .pollInterval(Duration.ofMillis(10))
            .until(() -> follower.kv().get("notice", local).first().map(KeyValue::modRevision),
                seen -> seen.orElse(0L) >= revision);
      }
      Optional<KeyValue> seen = followers.get(0).kv().get("notice", local).first();
      assertThat(seen).map(KeyValue::valueString).contains(Integer.toString(i));
    }
  }
}
