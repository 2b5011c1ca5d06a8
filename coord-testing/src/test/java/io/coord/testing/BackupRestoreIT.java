package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.GetResult;
import io.coord.client.maintenance.InvalidSnapshotException;
import io.coord.client.maintenance.SnapshotFile;
import io.coord.client.maintenance.SnapshotSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
