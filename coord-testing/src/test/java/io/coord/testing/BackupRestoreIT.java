package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.GetResult;
import io.coord.client.kv.KeyValue;
import io.coord.client.maintenance.InvalidSnapshotException;
import io.coord.client.maintenance.SnapshotFile;
import io.coord.client.maintenance.SnapshotSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A snapshot saved from a loaded cluster founds a new cluster with identical data. */
@Timeout(300)
class BackupRestoreIT {
  @TempDir
  Path work;

  @Test
  void aSnapshotRestoresIntoANewClusterWithEveryKeyAndRevision() throws Exception {
    Path file = work.resolve("backup.snap");
    GetResult before;
    GetResult history;
    long historicalRevision;
    SnapshotSummary saved;
    List<Long> progress = new ArrayList<>();
    try (CoordTestCluster source = CoordTestCluster.builder().size(3).build().start()) {
      source.awaitLeader();
      CoordClient client = source.newClient();
      for (int i = 0; i < 600; i++) {
        client.kv().put("data/" + (i % 150), "value-" + i);
      }
      historicalRevision = client.kv().put("data/0", "overwritten").revision();
      for (int i = 0; i < 20; i++) {
        client.kv().delete("data/" + (100 + i));
      }
      client.kv().put("data/last", "x");
      before = client.kv().get("data/", GetOptions.builder().prefix().build());
      history = client.kv().get("data/", GetOptions.builder().prefix()
          .revision(historicalRevision).build());

      String leader = source.awaitLeader().clientAddress();
      try (CoordClient onLeader = CoordClient.builder().endpoints(leader).build()) {
        AtomicLong last = new AtomicLong();
        saved = onLeader.maintenance().saveSnapshot(file, bytes -> {
          progress.add(bytes);
          last.set(bytes);
        });
        assertThat(last.get()).isEqualTo(Files.size(file));
      }
    }
    assertThat(progress).isNotEmpty().isSorted();
    assertThat(saved.revision()).isEqualTo(before.header().revision());
    assertThat(saved.keyCount()).isEqualTo(before.count());
    assertThat(saved.clusterToken()).isEqualTo("test");
    assertThat(SnapshotFile.verify(file)).isEqualTo(saved);

    try (CoordTestCluster restored = CoordTestCluster.builder().size(3).build()) {
      for (CoordTestCluster.Member member : restored.members()) {
        SnapshotSummary summary = SnapshotFile.restore(file, restored.dataDir(member.name()));
        assertThat(summary.revision()).isEqualTo(saved.revision());
      }
      restored.start();
      restored.awaitLeader();
      CoordClient client = restored.newClient();
      GetResult after = client.kv().get("data/", GetOptions.builder().prefix().build());
      assertThat(after.kvs()).isEqualTo(before.kvs());
      assertThat(after.header().revision()).isEqualTo(before.header().revision());
      assertThat(client.kv().get("data/", GetOptions.builder().prefix()
          .revision(historicalRevision).build()).kvs()).isEqualTo(history.kvs());
      long next = client.kv().put("data/new", "y").revision();
      assertThat(next).isEqualTo(before.header().revision() + 1);
      restored.awaitConverged(java.time.Duration.ofSeconds(60));
      // Members publish their new addresses; none of the old cluster's remain.
      restored.awaitReady();
      assertThat(client.cluster().members().members()).allSatisfy(m ->
          assertThat(restored.endpoints()).contains(m.clientAddress()));
    }
  }

  /** One change the writer made: {@code value} null for a delete. */
  private record Change(long revision, String key, String value) {}

  @Test
  void aSnapshotSavedUnderConcurrentWritesIsAConsistentCut() throws Exception {
    Path file = work.resolve("cut.snap");
    List<Change> changes = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    SnapshotSummary saved;
    try (CoordTestCluster source = CoordTestCluster.builder().size(3).build().start()) {
      source.awaitLeader();
      CoordClient client = source.newClient();
      AtomicBoolean stop = new AtomicBoolean();
      // One writer: its changes have increasing revisions. Keys are overwritten and deleted,
      // so the cut must pick the right version of each key, not only the right set of keys.
      Thread writer = new Thread(() -> {
        try {
          for (int i = 0; !stop.get(); i++) {
            if (i % 7 == 6) {
              String key = "cut/" + (i * 3 % 40);
              var deleted = client.kv().delete(key);
              if (deleted.deleted() > 0) {
                changes.add(new Change(deleted.header().revision(), key, null));
              }
            } else {
              String key = "cut/" + (i % 40);
              String value = "v" + i;
              changes.add(new Change(client.kv().put(key, value).revision(), key, value));
            }
          }
        } catch (Throwable t) {
          writerFailed.set(t);
        }
      }, "cut-writer");
      writer.start();
      try {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> changes.size() >= 200);
        String leader = source.awaitLeader().clientAddress();
        try (CoordClient onLeader = CoordClient.builder().endpoints(leader).build()) {
          saved = onLeader.maintenance().saveSnapshot(file, bytes -> { });
        }
        long savedRevision = saved.revision();
        // The writer went on past the snapshot.
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
            changes.get(changes.size() - 1).revision() > savedRevision + 20);
      } finally {
        stop.set(true);
        writer.join(30_000);
      }
      assertThat(writerFailed.get()).as("the writer's failure").isNull();
    }
    long cut = saved.revision();
    assertThat(changes).extracting(Change::revision).isSorted().doesNotHaveDuplicates();
    assertThat(changes).anyMatch(c -> c.revision() <= cut).anyMatch(c -> c.revision() > cut);

    // The state at the cut: each key's last change at or below it.
    Map<String, Change> expected = new TreeMap<>();
    for (Change change : changes) {
      if (change.revision() <= cut) {
        expected.put(change.key(), change);
      }
    }
    expected.values().removeIf(change -> change.value() == null);

    try (CoordTestCluster restored = CoordTestCluster.builder().size(3).build()) {
      for (CoordTestCluster.Member member : restored.members()) {
        SnapshotFile.restore(file, restored.dataDir(member.name()));
      }
      restored.start();
      restored.awaitLeader();
      CoordClient client = restored.newClient();
      GetResult after = client.kv().get("cut/", GetOptions.builder().prefix().build());
      assertThat(after.header().revision()).isEqualTo(cut);
      Map<String, String> values = new TreeMap<>();
      Map<String, Long> modRevisions = new TreeMap<>();
      for (KeyValue kv : after.kvs()) {
        values.put(kv.keyString(), kv.valueString());
        modRevisions.put(kv.keyString(), kv.modRevision());
      }
      Map<String, String> expectedValues = new TreeMap<>();
      Map<String, Long> expectedRevisions = new TreeMap<>();
      expected.forEach((key, change) -> {
        expectedValues.put(key, change.value());
        expectedRevisions.put(key, change.revision());
      });
      assertThat(values).isEqualTo(expectedValues);
      assertThat(modRevisions).isEqualTo(expectedRevisions);
      assertThat(modRevisions.values()).allMatch(revision -> revision <= cut);
    }
  }

  @Test
  void aCorruptedOrTruncatedSnapshotIsRefused() throws Exception {
    Path file = work.resolve("backup.snap");
    try (CoordTestCluster source = CoordTestCluster.builder().size(1).build().start()) {
      source.awaitLeader();
      CoordClient client = source.newClient();
      for (int i = 0; i < 50; i++) {
        client.kv().put("k/" + i, "v" + i);
      }
      client.maintenance().saveSnapshot(file, bytes -> { });
    }
    byte[] good = Files.readAllBytes(file);

    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x01;
    Path corrupted = Files.write(work.resolve("corrupted.snap"), flipped);
    assertThatThrownBy(() -> SnapshotFile.verify(corrupted))
        .isInstanceOf(InvalidSnapshotException.class);
    Path target = work.resolve("n1");
    assertThatThrownBy(() -> SnapshotFile.restore(corrupted, target))
        .isInstanceOf(InvalidSnapshotException.class);
    assertThat(target.resolve("state")).doesNotExist();

    Path truncated = Files.write(work.resolve("truncated.snap"),
        java.util.Arrays.copyOf(good, good.length - 10));
    assertThatThrownBy(() -> SnapshotFile.verify(truncated))
        .isInstanceOf(InvalidSnapshotException.class)
        .hasMessageContaining("truncated");

    Path notASnapshot = Files.writeString(work.resolve("text.snap"), "hello");
    assertThatThrownBy(() -> SnapshotFile.verify(notASnapshot))
        .isInstanceOf(InvalidSnapshotException.class);
  }
}
