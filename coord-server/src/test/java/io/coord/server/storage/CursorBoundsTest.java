package io.coord.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.PerfLevel;

class CursorBoundsTest {
  private static final int DELETED = 5_000;

  @TempDir
  Path dir;
  private Backend backend;

  @BeforeEach
  void open() {
    backend = Backend.open(dir);
  }

  @AfterEach
  void close() {
    backend.close();
  }

  @Test
  void transactionCursorsKeepToTheirRangeIncludingUncommittedWrites() {
    commit(txn -> {
      txn.put(ColumnFamily.KV, bytes("a1"), bytes("v"));
      txn.put(ColumnFamily.KV, bytes("b1"), bytes("v"));
      txn.put(ColumnFamily.KV, bytes("c1"), bytes("v"));
    });
    try (WriteTxn txn = backend.beginWrite()) {
      txn.put(ColumnFamily.KV, bytes("a2"), bytes("v"));
      txn.put(ColumnFamily.KV, bytes("b2"), bytes("v"));
      txn.put(ColumnFamily.KV, bytes("c0"), bytes("v"));
      txn.delete(ColumnFamily.KV, bytes("b1"));

      assertThat(keys(txn.scan(ColumnFamily.KV, bytes("b"), bytes("c")))).containsExactly("b2");
      assertThat(keys(txn.scanReverse(ColumnFamily.KV, bytes("a"), bytes("c"))))
          .containsExactly("b2", "a2", "a1");
      assertThat(keys(txn.scan(ColumnFamily.KV, bytes("a2"), null)))
          .containsExactly("a2", "b2", "c0", "c1");
    }
  }

  @Test
  void viewCursorsKeepToTheirRangeAndSnapshot() {
    commit(txn -> {
      txn.put(ColumnFamily.KV, bytes("a1"), bytes("v"));
      txn.put(ColumnFamily.KV, bytes("b1"), bytes("v"));
    });
    try (ReadView view = backend.readView()) {
      commit(txn -> {
        txn.put(ColumnFamily.KV, bytes("b2"), bytes("v"));
      });
      assertThat(keys(view.scan(ColumnFamily.KV, bytes("b"), bytes("c")))).containsExactly("b1");
      assertThat(keys(view.scanReverse(ColumnFamily.KV, null, bytes("b1"))))
          .containsExactly("a1");
    }
  }

  @Test
  void aCursorThatRunsOutOfItsRangeDoesNotWalkTheTombstonesBeyondIt() {
    commit(txn -> {
      txn.put(ColumnFamily.DEDUPE, bytes("a1"), bytes("v"));
      for (int i = 0; i < DELETED; i++) {
        txn.put(ColumnFamily.DEDUPE, bytes(String.format("b%05d", i)), bytes("v"));
      }
      txn.put(ColumnFamily.DEDUPE, bytes("c1"), bytes("v"));
    });
    commit(txn -> {
      for (int i = 0; i < DELETED; i++) {
        txn.delete(ColumnFamily.DEDUPE, bytes(String.format("b%05d", i)));
      }
    });

    try (WriteTxn txn = backend.beginWrite()) {
      assertThat(tombstonesSkipped(() -> keys(txn.scan(ColumnFamily.DEDUPE, bytes("a"),
          bytes("b00000"))))).isLessThan(10);
      assertThat(tombstonesSkipped(() -> keys(txn.scanReverse(ColumnFamily.DEDUPE, bytes("b9"),
          bytes("c2"))))).isLessThan(10);
    }
    try (ReadView view = backend.readView()) {
      assertThat(tombstonesSkipped(() -> keys(view.scan(ColumnFamily.DEDUPE, bytes("a"),
          bytes("b00000"))))).isLessThan(10);
    }
    // The tombstones are there to be walked: a cursor whose range covers them does.
    try (ReadView view = backend.readView()) {
      assertThat(tombstonesSkipped(() -> keys(view.scan(ColumnFamily.DEDUPE, bytes("a"),
          bytes("d"))))).isGreaterThanOrEqualTo(DELETED);
    }
  }

  private long tombstonesSkipped(Runnable scan) {
    backend.db().setPerfLevel(PerfLevel.ENABLE_COUNT);
    try {
      backend.db().getPerfContext().reset();
      scan.run();
      return backend.db().getPerfContext().getInternalDeleteSkippedCount();
    } finally {
      backend.db().setPerfLevel(PerfLevel.DISABLE);
    }
  }

  private void commit(Consumer<WriteTxn> writes) {
    try (WriteTxn txn = backend.beginWrite()) {
      writes.accept(txn);
      txn.commit();
    }
  }

  private static List<String> keys(Cursor cursor) {
    List<String> keys = new ArrayList<>();
    try (cursor) {
      for (; cursor.valid(); cursor.next()) {
        keys.add(new String(cursor.key(), StandardCharsets.UTF_8));
      }
    }
    return keys;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
