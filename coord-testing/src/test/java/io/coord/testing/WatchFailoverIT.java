package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import io.coord.client.kv.Op;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Concurrent writers, watchers on every member, the leader killed twice: every watcher gets
 * every event exactly once, in order, each revision in one delivery, as the KV history says.
 */
@Timeout(300)
class WatchFailoverIT {
  private static final int WRITERS = 4;
  /**
   * A bound, not the plan: writers run until the kills are over. 2,000 ran out in a CI run whose
   * member stop took 6 s, and the last wait for more writes could then never end.
   */
  private static final int MAX_OPS_PER_WRITER = 20_000;
  private static final String PREFIX = "fo/";

  /** One write: its keys (in the order it changed them), kind, values, outcome. */
  private static final class Write {
    final List<String> keys;
    final boolean delete;
    final String value;
    final String deletedValue;
    final long createdAt;
    volatile long revision;
    volatile boolean unknown;

    Write(List<String> keys, boolean delete, String value, Write deleted) {
      this.keys = keys;
      this.delete = delete;
      this.value = value;
      this.deletedValue = deleted == null ? null : deleted.value;
      this.createdAt = deleted == null ? 0 : deleted.revision;
    }
  }

  @Test
  void everyWatcherGetsEveryEventOnceAndInOrderWhileTheLeaderIsKilledTwice() throws Exception {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      cluster.awaitLeader();
      CoordClient setup = cluster.newClient();
      long before = setup.kv().put("unrelated", "x").revision();

      List<Watcher> watchers = new ArrayList<>();
      List<WatchRecorder> recorders = new ArrayList<>();
      List<String> endpoints = cluster.endpoints();
      for (int i = 0; i < endpoints.size(); i++) {
        List<String> rotated = new ArrayList<>(endpoints.subList(i, endpoints.size()));
        rotated.addAll(endpoints.subList(0, i));
        CoordClient client = cluster.newClient(rotated);
        for (boolean prevKv : new boolean[] {true, false}) {
          WatchRecorder recorder = new WatchRecorder();
          WatchOptions.Builder options = WatchOptions.builder().prefix()
              .startRevision(before + 1);
          watchers.add(client.watch(PREFIX, (prevKv ? options.prevKv() : options).build(),
              recorder));
          recorders.add(recorder);
        }
      }
      watchers.forEach(w -> w.created().join());

      ConcurrentLinkedQueue<Write> writes = new ConcurrentLinkedQueue<>();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger acknowledged = new AtomicInteger();
      List<Thread> threads = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        CoordClient client = cluster.newClient();
        int writer = w;
        Thread thread = new Thread(() -> write(client, writer, writes, stop, acknowledged),
            "writer-" + w);
        threads.add(thread);
        thread.start();
      }

      WatchRecorder late = new WatchRecorder();
      try {
        for (int kill = 0; kill < 2; kill++) {
          awaitMore(acknowledged, 60);
          if (kill == 1) {
            // A watch started from the past mid-run: history replay, then live, then failover.
            watchers.add(cluster.newClient().watch(PREFIX, WatchOptions.builder().prefix()
                .prevKv().startRevision(before + 1).build(), late));
            recorders.add(late);
          }
          String leader = cluster.awaitLeader().name();
          cluster.stop(leader);
          cluster.awaitLeader();
          awaitMore(acknowledged, 60);
          cluster.start(leader);
          cluster.awaitLeader();
        }
        awaitMore(acknowledged, 40);
      } finally {
        stop.set(true);
        for (Thread thread : threads) {
          thread.join();
        }
      }

      List<KeyValue> finalState = setup.kv().get(PREFIX, GetOptions.builder().prefix().build())
          .kvs();
      long end = setup.kv().get("unrelated").header().revision();
      List<Expected> expected = expected(writes, finalState, setup);
      System.out.printf("watch failover run: %d events over revisions %d..%d, %d writes"
          + " with unknown outcome, reconnects per watcher %s%n", expected.size(), before + 1,
          end, writes.stream().filter(w -> w.unknown).count(),
          watchers.stream().map(Watcher::reconnects).toList());
      assertThat(expected.size()).isGreaterThan(200);
      assertThat(writes.stream().filter(w -> w.delete && !w.unknown).count())
          .as("the run deleted keys").isPositive();
      assertThat(expected.stream().map(e -> e.revision).distinct().count())
          .as("the run had multi-key transactions").isLessThan(expected.size());

      for (int i = 0; i < recorders.size(); i++) {
        WatchRecorder recorder = recorders.get(i);
        Watcher watcher = watchers.get(i);
        boolean withPrev = i % 2 == 0 || recorder == late;
        long lastRevision = expected.get(expected.size() - 1).revision;
        await().atMost(Duration.ofSeconds(60)).until(() -> (!recorder.calls.isEmpty()
            && recorder.calls.get(recorder.calls.size() - 1).revision() >= lastRevision)
            || !recorder.errors.isEmpty() || !recorder.compacted.isEmpty());
        assertThat(recorder.errors).isEmpty();
        assertThat(recorder.compacted).isEmpty();
        assertThat(lines(recorder, withPrev)).as("watcher %d", i)
            .containsExactlyElementsOf(expected.stream().map(e -> e.line(withPrev)).toList());
        Map<Long, Long> perRevision = new HashMap<>();
        expected.forEach(e -> perRevision.merge(e.revision, 1L, Long::sum));
        for (WatchRecorder.Call call : recorder.calls) {
          assertThat((long) call.events().size()).as("revision %d in one delivery",
              call.revision()).isEqualTo(perRevision.get(call.revision()));
        }
        assertThat(watcher.duplicatesDropped()).isZero();
        assertThat(watcher.nextRevision()).isLessThanOrEqualTo(end + 1);
      }
      assertThat(watchers.stream().mapToLong(Watcher::reconnects).sum())
          .as("watchers on the killed leaders resumed elsewhere").isPositive();
      watchers.forEach(Watcher::close);
    }
  }

  private static void awaitMore(AtomicInteger acknowledged, int more) {
    int target = acknowledged.get() + more;
    await().alias(more + " more acknowledged writes (each writer stops after "
        + MAX_OPS_PER_WRITER + ")").atMost(Duration.ofSeconds(90))
        .until(() -> acknowledged.get() >= target);
  }

  /** Puts unique keys, creates three keys in one txn, deletes keys it created. */
  private static void write(CoordClient client, int writer, ConcurrentLinkedQueue<Write> writes,
      AtomicBoolean stop, AtomicInteger acknowledged) {
    Random random = new Random(writer);
    List<Write> deletable = new ArrayList<>();
    for (int i = 0; i < MAX_OPS_PER_WRITER && !stop.get(); i++) {
      String base = PREFIX + "w" + writer + "/" + i;
      int kind = random.nextInt(10);
      Write write;
      if (kind < 2 && !deletable.isEmpty()) {
        Write victim = deletable.remove(random.nextInt(deletable.size()));
        write = new Write(List.of(victim.keys.get(0)), true, null, victim);
      } else if (kind < 4) {
        write = new Write(List.of(base + "/a", base + "/b", base + "/c"), false, "t" + i, null);
      } else {
        write = new Write(List.of(base), false, "v" + i, null);
      }
      writes.add(write);
      try {
        if (write.delete) {
          write.revision = client.kv().delete(write.keys.get(0)).header().revision();
        } else if (write.keys.size() == 3) {
          write.revision = client.kv().txn().then(Op.put(base + "/a", write.value),
              Op.put(base + "/b", write.value), Op.put(base + "/c", write.value)).commit()
              .header().revision();
        } else {
          write.revision = client.kv().put(base, write.value).revision();
          deletable.add(write);
        }
        acknowledged.incrementAndGet();
      } catch (CoordException unknownOutcome) {
        write.unknown = true;
      }
    }
  }

  /** One expected event. */
  private record Expected(long revision, int order, String type, String key, String value,
      String prev) {
    String line(boolean withPrev) {
      String text = type.equals("PUT") ? "PUT " + key + "=" + value + "@" + revision
          : "DELETE " + key + "@" + revision;
      return withPrev && prev != null ? text + " prev=" + prev : text;
    }
  }

  private static List<String> lines(WatchRecorder recorder, boolean withPrev) {
    return recorder.events().stream().map(e -> {
      String text = WatchRecorder.line(e);
      return withPrev && e.prevKv() != null ? text + " prev=" + e.prevKv().valueString() : text;
    }).toList();
  }

  /**
   * The events the writes made, from the acknowledgements and, for writes whose outcome is
   * unknown, from the final state and historical reads.
   */
  private static List<Expected> expected(ConcurrentLinkedQueue<Write> writes,
      List<KeyValue> finalState, CoordClient client) {
    Map<String, KeyValue> present = new HashMap<>();
    finalState.forEach(kv -> present.put(kv.keyString(), kv));
    List<Expected> out = new ArrayList<>();
    for (Write write : writes) {
      long revision = write.revision;
      if (write.delete) {
        String key = write.keys.get(0);
        if (revision == 0) {
          if (present.containsKey(key)) {
            continue;
          }
          revision = deletedAt(client, key, write.createdAt);
        }
        out.add(new Expected(revision, 0, "DELETE", key, null, write.deletedValue));
        continue;
      }
      if (revision == 0) {
        KeyValue kv = present.get(write.keys.get(0));
        if (kv == null) {
          continue;
        }
        revision = kv.createRevision();
      }
      for (int k = 0; k < write.keys.size(); k++) {
        out.add(new Expected(revision, k, "PUT", write.keys.get(k), write.value, null));
      }
    }
    out.sort(Comparator.comparingLong(Expected::revision).thenComparingInt(Expected::order));
    return out;
  }

  /** The first revision after {@code createdAt} at which {@code key} no longer exists. */
  private static long deletedAt(CoordClient client, String key, long createdAt) {
    long low = createdAt + 1;
    long high = client.kv().get(key).header().revision();
    while (low < high) {
      long mid = (low + high) / 2;
      if (client.kv().get(key, GetOptions.builder().revision(mid).build()).first().isEmpty()) {
        high = mid;
      } else {
        low = mid + 1;
      }
    }
    return low;
  }
}
