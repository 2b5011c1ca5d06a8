package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.kv.Op;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import io.coord.server.config.ConfigKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.ratis.util.CodeInjectionForTesting;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A running follower that refuses every append falls behind the leader's purged log and is
 * brought up to date by snapshot installs (the leader sends one whenever the follower needs
 * entries it purged), while a watch is open on it: the watch stays on the member and misses
 * nothing.
 */
@Timeout(300)
class WatchSnapshotIT {
  /** Ratis' injection point at the start of a follower's appendEntries handling. */
  private static final String APPEND_ENTRIES = "RaftServerImpl.appendEntries";

  @Test
  void aWatchOnAMemberThatInstallsASnapshotMissesNothing() {
    // Refusing appends also stops the member hearing its leader: it campaigns and, past the
    // grace of one maximum election timeout, ends its watches as a cut-off member must. Long
    // timeouts keep that out of this test, which is about the snapshot install.
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.ELECTION_TIMEOUT_MIN, "2s")
        .set(ConfigKeys.ELECTION_TIMEOUT_MAX, "4s")
        .set(ConfigKeys.SNAPSHOT_THRESHOLD, "64")
        .set(ConfigKeys.LOG_PURGE_GAP, "16")
        .set(ConfigKeys.LOG_PRESERVE, "0")
        .set(ConfigKeys.LOG_SEGMENT_SIZE, "1MiB")
        .build().start()) {
      String leader = cluster.awaitLeader().name();
      CoordTestCluster.Member lagging = cluster.members().stream()
          .filter(m -> !m.name().equals(leader)).findFirst().orElseThrow();
      CoordClient writer = cluster.newClient();
      CoordClient onLagging = cluster.newClient(List.of(lagging.clientAddress()));
      WatchRecorder recorder = new WatchRecorder();
      List<String> expected = new ArrayList<>();
      try (Watcher watcher = onLagging.watch("snap/", WatchOptions.builder().prefix().build(),
          recorder)) {
        watcher.created().join();
        expected.add("PUT snap/first=0@" + writer.kv().put("snap/first", "0").revision());
        await().atMost(Duration.ofSeconds(30)).until(() -> recorder.eventCount() == 1);

        holdBack(lagging.name());
        try {
          String padding = "x".repeat(2048);
          for (int i = 0; i < 1500; i++) {
            if (i % 100 == 0) {
              long revision = writer.kv().txn().then(Op.put("snap/t1", "t" + i),
                  Op.put("snap/t2", "t" + i)).commit().header().revision();
              expected.add("PUT snap/t1=t" + i + "@" + revision);
              expected.add("PUT snap/t2=t" + i + "@" + revision);
            }
            String key = "snap/k" + (i % 100);
            long revision = writer.kv().put(key, i + padding).revision();
            expected.add("PUT " + key + "=" + i + padding + "@" + revision);
          }
        } finally {
          CodeInjectionForTesting.remove(APPEND_ENTRIES);
        }
        cluster.awaitConverged(Duration.ofSeconds(120));
        assertThat(lagging.server().stateMachine().storesReplaced())
            .as("the lagging member installed a snapshot").isPositive();
        long last = writer.kv().put("snap/last", "z").revision();
        expected.add("PUT snap/last=z@" + last);
        await().atMost(Duration.ofSeconds(60)).until(() -> !recorder.calls.isEmpty()
            && recorder.calls.get(recorder.calls.size() - 1).revision() >= last);
        assertThat(recorder.lines()).containsExactlyElementsOf(expected);
        assertThat(watcher.reconnects()).as("the watch stayed on its member").isZero();
        assertThat(watcher.duplicatesDropped()).isZero();
      }
    }
  }

  /** Makes {@code member} refuse every append from the leader until the injection is removed. */
  private static void holdBack(String member) {
    CodeInjectionForTesting.put(APPEND_ENTRIES, (localId, remoteId, args) -> {
      if (member.equals(String.valueOf(localId))) {
        throw new IllegalStateException("appends to " + member + " held back by the test");
      }
      return false;
    });
  }
}
