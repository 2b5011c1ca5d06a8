package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import io.coord.client.watch.ListWatch;
import io.coord.client.watch.ListWatchListener;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A watch outlives its stream: resumed elsewhere without loss, or told once about compaction. */
@Timeout(180)
class WatchResumeIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private CoordTestCluster cluster;
  private CoordClient writer;

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitLeader();
    writer = cluster.newClient();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aWatchResumesOnAnotherMemberFromTheNextRevisionWhenItsMemberStops() {
    CoordTestCluster.Member first = cluster.members().get(0);
    CoordClient client = cluster.newClient(cluster.endpoints());
    WatchRecorder recorder = new WatchRecorder();
    try (Watcher watcher = client.watch("r/", WatchOptions.builder().prefix().prevKv().build(),
        recorder)) {
      watcher.created().join();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        expected.add("PUT r/" + i + "=a@" + writer.kv().put("r/" + i, "a").revision());
      }
      await().atMost(WAIT).until(() -> recorder.eventCount() == 10);
      cluster.stop(first.name());
      for (int i = 0; i < 10; i++) {
        expected.add("PUT r/" + i + "=b@" + writer.kv().put("r/" + i, "b").revision());
      }
      expected.add("DELETE r/3@" + writer.kv().delete("r/3").header().revision());
      await().atMost(WAIT).until(() -> recorder.eventCount() == 21);
      assertThat(recorder.lines()).containsExactlyElementsOf(expected);
      assertThat(recorder.events().get(20).prevKv().valueString()).isEqualTo("b");
      assertThat(watcher.reconnects()).isPositive();
      assertThat(watcher.duplicatesDropped()).isZero();
      cluster.start(first.name());
    }
  }

  @Test
  void aWatchResumedAfterItsHistoryWasCompactedIsToldOnceWithTheCompactRevision()
      throws Exception {
    try (TcpProxy proxy = new TcpProxy(cluster.members().get(0).clientAddress())) {
      CoordClient client = cluster.newClient(List.of(proxy.address()));
      WatchRecorder recorder = new WatchRecorder();
      Watcher watcher = client.watch("c", WatchOptions.DEFAULT, recorder);
      watcher.created().join();
      long seen = writer.kv().put("c", "1").revision();
      await().atMost(WAIT).until(() -> recorder.eventCount() == 1);
      proxy.cut();
      writer.kv().put("c", "2");
      long compact = writer.kv().put("c", "3").revision();
      writer.kv().compact(compact);
      await().atMost(WAIT).until(() -> cluster.running().stream()
          .allMatch(m -> m.server().stateMachine().compactRevision() == compact));
      proxy.restore();
      await().atMost(WAIT).until(() -> !recorder.compacted.isEmpty());
      writer.kv().put("c", "4");
      await().during(Duration.ofMillis(500)).atMost(WAIT).until(() -> watcher.isClosed());
      assertThat(recorder.compacted).containsExactly(compact);
      assertThat(recorder.calls).extracting(WatchRecorder.Call::revision).containsExactly(seen);
      assertThat(recorder.errors).isEmpty();
    }
  }

  @Test
  void listThenWatchStartsOverFromAFreshReadAfterCompaction() throws Exception {
    writer.kv().put("lw/a", "1");
    writer.kv().put("lw/b", "1");
    try (TcpProxy proxy = new TcpProxy(cluster.members().get(1).clientAddress())) {
      CoordClient client = cluster.newClient(List.of(proxy.address()));
      View view = new View();
      try (ListWatch listWatch = client.watches().listAndWatch("lw/",
          WatchOptions.builder().prefix().build(), view)) {
        await().atMost(WAIT).until(() -> view.snapshots.get() == 1);
        writer.kv().put("lw/c", "1");
        await().atMost(WAIT).until(() -> view.copy().size() == 3);
        proxy.cut();
        writer.kv().delete("lw/a");
        writer.kv().put("lw/b", "2");
        long compact = writer.kv().put("lw/d", "1").revision();
        writer.kv().compact(compact);
        await().atMost(WAIT).until(() -> cluster.running().stream()
            .allMatch(m -> m.server().stateMachine().compactRevision() == compact));
        proxy.restore();
        await().atMost(WAIT).until(() -> view.snapshots.get() == 2);
        writer.kv().put("lw/e", "1");
        Map<String, String> expected = new TreeMap<>();
        for (KeyValue kv : writer.kv().get("lw/", GetOptions.builder().prefix().build())
            .kvs()) {
          expected.put(kv.keyString(), kv.valueString());
        }
        await().atMost(WAIT).until(() -> view.copy().equals(expected));
        assertThat(listWatch.snapshots()).isEqualTo(2);
      }
    }
  }

  /** A key-value view kept by list-then-watch. */
  private static final class View implements ListWatchListener {
    private final Map<String, String> state = new TreeMap<>();
    final AtomicInteger snapshots = new AtomicInteger();

    @Override
    public synchronized void onSnapshot(long revision, List<KeyValue> kvs) {
      state.clear();
      kvs.forEach(kv -> state.put(kv.keyString(), kv.valueString()));
      snapshots.incrementAndGet();
    }

    @Override
    public synchronized void onEvents(long revision, List<WatchEvent> events) {
      for (WatchEvent event : events) {
        if (event.type() == WatchEvent.Type.PUT) {
          state.put(event.kv().keyString(), event.kv().valueString());
        } else {
          state.remove(event.kv().keyString());
        }
      }
    }

    synchronized Map<String, String> copy() {
      return new TreeMap<>(state);
    }
  }
}
