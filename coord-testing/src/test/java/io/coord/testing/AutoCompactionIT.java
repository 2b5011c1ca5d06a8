package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.coord.client.CompactedException;
import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.server.config.ConfigKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The leader compacts history on its own, keeping the configured number of revisions. */
@Timeout(120)
class AutoCompactionIT {
  @Test
  void historyOlderThanTheRetentionIsCompactedOnEveryMember() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.COMPACTION_RETAIN_REVISIONS, "50")
        .set(ConfigKeys.COMPACTION_INTERVAL, "200ms")
        .build().start()) {
      cluster.awaitLeader();
      CoordClient client = cluster.newClient();
      long first = client.kv().put("k", "0").revision();
      long last = first;
      for (int i = 1; i < 200; i++) {
        last = client.kv().put("k", Integer.toString(i)).revision();
      }
      long current = last;
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        for (CoordTestCluster.Member member : cluster.running()) {
          assertThat(member.server().stateMachine().compactRevision())
              .as(member.name()).isGreaterThanOrEqualTo(current - 50);
        }
      });
      long compacted = cluster.leader().orElseThrow().server().stateMachine().compactRevision();
      assertThat(compacted).as("never more than the retention").isLessThanOrEqualTo(current - 50);
      assertThatThrownBy(() -> client.kv().get("k", GetOptions.builder()
          .revision(first).build()))
          .isInstanceOfSatisfying(CompactedException.class,
              e -> assertThat(e.compactRevision()).isEqualTo(compacted));
      long kept = current - 50;
      assertThat(client.kv().get("k", GetOptions.builder().revision(kept).build())
          .first().orElseThrow().valueString())
          .isEqualTo(Long.toString(kept - first));
      cluster.awaitConverged(Duration.ofSeconds(30));
    }
  }

  @Test
  void aCompactionFinishesOnEveryMemberWithoutFurtherWrites() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      cluster.awaitLeader();
      CoordClient client = cluster.newClient();
      long last = 0;
      for (int i = 0; i < 400; i++) {
        last = client.kv().put("k" + (i % 10), Integer.toString(i)).revision();
      }
      long compactAt = last - 5;
      client.kv().compact(compactAt);
      // The compaction entry removes only a few dozen of the ~400 events; the leader's step
      // entries remove the rest, though nobody writes any more.
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        for (CoordTestCluster.Member member : cluster.running()) {
          assertThat(member.server().stateMachine().compactionBehind()).as(member.name())
              .isFalse();
        }
      });
      for (int i = 0; i < 10; i++) {
        assertThat(client.kv().get("k" + i, GetOptions.builder().revision(compactAt).build())
            .first()).as("k%d at the compact revision", i).isPresent();
      }
      cluster.awaitConverged(Duration.ofSeconds(30));
    }
  }
}
