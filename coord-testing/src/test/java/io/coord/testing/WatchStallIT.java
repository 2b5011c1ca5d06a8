package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import io.coord.server.config.ConfigKeys;
import io.coord.server.watch.WatchHub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A watcher that consumes nothing blocks neither apply nor other watchers; the member parks it
 * and catches it up from history later, or cancels it with the compact revision if its history
 * was compacted meanwhile.
 */
@Timeout(180)
class WatchStallIT {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int WRITES = 600;
  private static final String VALUE = "x".repeat(8 << 10);

  private CoordTestCluster cluster;

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.WATCH_MAX_BUFFERED_EVENTS, "32")
        .set(ConfigKeys.WATCH_MAX_BUFFERED_BYTES, "128KiB")
        .build().start();
    cluster.awaitLeader();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** A listener that blocks in its first call until released. */
  private static final class Stalled extends WatchRecorder {
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void onEvents(long revision, List<WatchEvent> events) {
      try {
        release.await(2, TimeUnit.MINUTES);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      super.onEvents(revision, events);
    }
  }

  @Test
  void aStalledWatcherIsParkedAndCaughtUpWhileWritesAndOtherWatchersGoOn() {
    CoordTestCluster.Member member = cluster.members().get(0);
    CoordClient stalledClient = cluster.newClient(List.of(member.clientAddress()));
    CoordClient healthyClient = cluster.newClient(List.of(member.clientAddress()));
    Stalled stalled = new Stalled();
    WatchRecorder healthy = new WatchRecorder();
    WatchOptions options = WatchOptions.builder().prefix().prevKv().build();
    try (Watcher a = stalledClient.watch("s/", options, stalled);
         Watcher b = healthyClient.watch("s/", options, healthy)) {
      a.created().join();
      b.created().join();
      CoordClient writer = cluster.newClient();
      List<Long> revisions = new ArrayList<>();
      for (int i = 0; i < WRITES; i++) {
        revisions.add(writer.kv().put("s/" + (i % 50), VALUE + i).revision());
      }
      await().atMost(WAIT).until(() -> healthy.eventCount() == WRITES);
      WatchHub hub = member.server().watches();
      await().atMost(WAIT).until(() -> hub.stats().unsynced() == 1);
      assertThat(stalled.calls).as("still blocked in its first call").isEmpty();

      stalled.release.countDown();
      await().atMost(WAIT).until(() -> stalled.eventCount() == WRITES);
      await().atMost(WAIT).until(() -> hub.stats().unsynced() == 0);
      long more = writer.kv().put("s/after", "y").revision();
      await().atMost(WAIT).until(() -> stalled.eventCount() == WRITES + 1);
      revisions.add(more);
      for (WatchRecorder recorder : List.of(stalled, healthy)) {
        List<WatchEvent> events = recorder.events().subList(0, WRITES);
        assertThat(events).extracting(WatchEvent::revision)
            .containsExactlyElementsOf(revisions.subList(0, WRITES));
        for (int i = 0; i < WRITES; i++) {
          assertThat(events.get(i).kv().valueString()).isEqualTo(VALUE + i);
          if (i >= 50) {
            assertThat(events.get(i).prevKv().valueString()).isEqualTo(VALUE + (i - 50));
          }
        }
      }
      assertThat(stalled.events().get(WRITES).revision()).isEqualTo(more);
      assertThat(a.duplicatesDropped()).isZero();
    }
  }

  @Test
  void aStalledWatcherWhoseHistoryIsCompactedIsCancelledWithTheCompactRevision() {
    CoordTestCluster.Member member = cluster.members().get(1);
    CoordClient stalledClient = cluster.newClient(List.of(member.clientAddress()));
    Stalled stalled = new Stalled();
    try (Watcher watcher = stalledClient.watch("sc/", WatchOptions.builder().prefix().build(),
        stalled)) {
      watcher.created().join();
      CoordClient writer = cluster.newClient();
      long first = 0;
      long last = 0;
      for (int i = 0; i < WRITES; i++) {
        last = writer.kv().put("sc/" + (i % 50), VALUE + i).revision();
        first = first == 0 ? last : first;
      }
      WatchHub hub = member.server().watches();
      await().atMost(WAIT).until(() -> hub.stats().unsynced() == 1);
      long compact = last;
      writer.kv().compact(compact);
      await().atMost(WAIT).until(() -> member.server().stateMachine().compactRevision()
          == compact);
      stalled.release.countDown();
      await().atMost(WAIT).until(() -> !stalled.compacted.isEmpty());
      assertThat(stalled.compacted).containsExactly(compact);
      List<Long> delivered = stalled.events().stream().map(WatchEvent::revision).toList();
      assertThat(delivered).as("a gap-free prefix of the history").isNotEmpty();
      for (int i = 0; i < delivered.size(); i++) {
        assertThat(delivered.get(i)).isEqualTo(first + i);
      }
      assertThat(delivered.get(delivered.size() - 1)).isLessThan(compact);
      assertThat(watcher.isClosed()).isTrue();
      assertThat(hub.stats().unsynced()).isZero();
    }
  }
}
