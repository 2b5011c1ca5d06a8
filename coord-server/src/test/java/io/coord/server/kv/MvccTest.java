package io.coord.server.kv;

import static io.coord.server.statemachine.StateMachineFixture.delete;
import static io.coord.server.statemachine.StateMachineFixture.put;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.CompactionRequest;
import io.coord.proto.v1.Compare;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RangeRequest.SortOrder;
import io.coord.proto.v1.RangeRequest.SortTarget;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.server.command.Command;
import io.coord.server.command.CompactionStep;
import io.coord.server.error.CoordError;
import io.coord.server.statemachine.StateMachineFixture;
import io.coord.server.storage.Bytes;
import io.coord.server.storage.ColumnFamily;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvccTest {
  @TempDir
  Path dir;
  private StateMachineFixture store;

  @BeforeEach
  void open() {
    store = new StateMachineFixture(dir);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static ByteString bytes(String s) {
    return ByteString.copyFromUtf8(s);
  }

  private RangeRequest.Builder range(String key) {
    return RangeRequest.newBuilder().setKey(bytes(key));
  }

  private List<String> keys(RangeRequest request) {
    return store.range(request).getKvsList().stream().map(kv -> kv.getKey().toStringUtf8())
        .toList();
  }

  @Test
  void anEmptyStoreIsAtRevisionOneAndEachWriteAddsOne() {
    assertThat(store.stateMachine().revision()).isEqualTo(1);
    assertThat(store.applyOne(put("a", "1")).getRevision()).isEqualTo(2);
    assertThat(store.applyOne(put("b", "1")).getRevision()).isEqualTo(3);
  }

  @Test
  void versionsAndRevisionsFollowEtcd() {
    store.applyOne(put("k", "1"));
    store.applyOne(put("k", "2"));
    KeyValue kv = store.get("k").getKvs(0);
    assertThat(kv.getCreateRevision()).isEqualTo(2);
    assertThat(kv.getModRevision()).isEqualTo(3);
    assertThat(kv.getVersion()).isEqualTo(2);
    store.applyOne(delete("k", ""));
    store.applyOne(put("k", "3"));
    kv = store.get("k").getKvs(0);
    assertThat(kv.getCreateRevision()).isEqualTo(5);
    assertThat(kv.getVersion()).isEqualTo(1);
  }

  @Test
  void deletingNothingDoesNotCreateARevision() {
    store.applyOne(put("a", "1"));
    var result = store.applyOne(delete("missing", ""));
    assertThat(result.getDeleteRange().getDeleted()).isZero();
    assertThat(result.getRevision()).isEqualTo(2);
  }

  @Test
  void rangesFollowEtcdRules() {
    for (String key : List.of("a", "a/1", "a/2", "b", "c")) {
      store.applyOne(put(key, "x"));
    }
    assertThat(keys(range("a/").setRangeEnd(bytes("a0")).build())).containsExactly("a/1", "a/2");
    assertThat(keys(range("b").setRangeEnd(ByteString.copyFrom(new byte[] {0})).build()))
        .containsExactly("b", "c");
    assertThat(keys(RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
        .setRangeEnd(ByteString.copyFrom(new byte[] {0})).build()))
        .containsExactly("a", "a/1", "a/2", "b", "c");
    assertThat(keys(range("a").build())).containsExactly("a");
    assertThat(keys(range("z").setRangeEnd(bytes("a")).build())).isEmpty();
  }

  @Test
  void limitCountSortAndKeysOnly() {
    for (String key : List.of("k1", "k2", "k3")) {
      store.applyOne(put(key, "v" + key));
    }
    var limited = store.range(range("k").setRangeEnd(bytes("l")).setLimit(2).build());
    assertThat(limited.getKvsCount()).isEqualTo(2);
    assertThat(limited.getMore()).isTrue();
    assertThat(limited.getCount()).isEqualTo(3);
    var descending = store.range(range("k").setRangeEnd(bytes("l"))
        .setSortTarget(SortTarget.KEY).setSortOrder(SortOrder.DESCEND).setLimit(1).build());
    assertThat(descending.getKvs(0).getKey().toStringUtf8()).isEqualTo("k3");
    var countOnly = store.range(range("k").setRangeEnd(bytes("l")).setCountOnly(true).build());
    assertThat(countOnly.getKvsCount()).isZero();
    assertThat(countOnly.getCount()).isEqualTo(3);
    var keysOnly = store.range(range("k1").setKeysOnly(true).build());
    assertThat(keysOnly.getKvs(0).getValue()).isEmpty();
  }

  @Test
  void historicalReadsSeeTheStoreAsItWas() {
    store.applyOne(put("k", "1"));          // rev 2
    store.applyOne(put("other", "x"));      // rev 3
    store.applyOne(put("k", "2"));          // rev 4
    store.applyOne(delete("k", ""));        // rev 5
    assertThat(value(range("k").setRevision(2))).isEqualTo("1");
    assertThat(value(range("k").setRevision(3))).isEqualTo("1");
    assertThat(value(range("k").setRevision(4))).isEqualTo("2");
    assertThat(store.range(range("k").setRevision(5).build()).getKvsCount()).isZero();
    assertThat(store.range(range("k").setRevision(1).build()).getKvsCount()).isZero();
  }

  @Test
  void keysWithZeroBytesKeepTheirOwnHistory() {
    ByteString withZero = ByteString.copyFrom(new byte[] {'a', 0, 'b'});
    ByteString plain = ByteString.copyFrom(new byte[] {'a'});
    store.applyOne(Command.newBuilder().setPut(PutRequest.newBuilder().setKey(plain)
        .setValue(bytes("plain"))).build());
    store.applyOne(Command.newBuilder().setPut(PutRequest.newBuilder().setKey(withZero)
        .setValue(bytes("zero"))).build());
    store.applyOne(put("b", "later"));
    var all = store.range(RangeRequest.newBuilder().setKey(plain)
        .setRangeEnd(ByteString.copyFrom(new byte[] {0})).setRevision(3).build());
    assertThat(all.getKvsList()).extracting(KeyValue::getKey).containsExactly(plain, withZero);
  }

  @Test
  void futureAndCompactedRevisionsFailWithDistinctErrors() {
    for (int i = 0; i < 5; i++) {
      store.applyOne(put("k", Integer.toString(i)));  // revs 2..6
    }
    assertThat(error(range("k").setRevision(7))).isEqualTo(ErrorReason.FUTURE_REVISION);
    store.applyOne(Command.newBuilder().setCompact(CompactionRequest.newBuilder().setRevision(4))
        .build());
    CoordError compacted = errorOf(range("k").setRevision(3));
    assertThat(compacted.reason()).isEqualTo(ErrorReason.COMPACTED);
    assertThat(compacted.metadata()).containsEntry("compact_revision", "4");
    assertThat(value(range("k").setRevision(4))).isEqualTo("2");
    assertThat(value(range("k").setRevision(6))).isEqualTo("4");
  }

  @Test
  void compactionKeepsEveryReadableRevisionIntactAndRemovesTheRest() {
    for (int i = 0; i < 50; i++) {
      store.applyOne(put("k" + (i % 5), Integer.toString(i)));
    }
    store.applyOne(delete("k0", ""));
    long current = store.stateMachine().revision();
    List<List<KeyValue>> before = new java.util.ArrayList<>();
    for (long rev = 30; rev <= current; rev++) {
      before.add(store.range(RangeRequest.newBuilder().setKey(bytes("k"))
          .setRangeEnd(bytes("l")).setRevision(rev).build()).getKvsList());
    }
    store.applyOne(Command.newBuilder().setCompact(CompactionRequest.newBuilder()
        .setRevision(30)).build());
    for (int i = 0; i < 5; i++) {
      store.applyOne(put("filler" + i, "x"));
    }
    for (long rev = 30; rev <= current; rev++) {
      assertThat(store.range(RangeRequest.newBuilder().setKey(bytes("k"))
          .setRangeEnd(bytes("l")).setRevision(rev).build()).getKvsList())
          .isEqualTo(before.get((int) (rev - 30)));
    }
  }

  @Test
  void compactionStepsRemoveEveryObsoleteRecordAndKeepReadsAtTheCompactRevision() {
    for (int i = 0; i < 600; i++) {
      store.applyOne(put("k" + (i % 7), Integer.toString(i)));
      if (i % 50 == 49) {
        store.applyOne(delete("k" + (i % 7), ""));
      }
    }
    long current = store.stateMachine().revision();
    long compactAt = current - 20;
    List<List<KeyValue>> before = new java.util.ArrayList<>();
    for (long rev = compactAt; rev <= current; rev++) {
      before.add(store.range(range("k").setRangeEnd(bytes("l")).setRevision(rev).build())
          .getKvsList());
    }
    store.applyOne(Command.newBuilder().setCompact(CompactionRequest.newBuilder()
        .setRevision(compactAt)).build());
    assertThat(store.stateMachine().compactionBehind())
        .as("more events than one entry removes").isTrue();
    int steps = 0;
    while (store.stateMachine().compactionBehind()) {
      store.applyOne(Command.newBuilder().setCompactionStep(CompactionStep.newBuilder()
          .setMaxEvents(100)).build());
      assertThat(++steps).as("steps of 100 events").isLessThan(10);
    }

    for (long rev = compactAt; rev <= current; rev++) {
      assertThat(store.range(range("k").setRangeEnd(bytes("l")).setRevision(rev).build())
          .getKvsList()).isEqualTo(before.get((int) (rev - compactAt)));
    }
    store.stateMachine().read((view, meta) -> {
      try (var events = view.scan(ColumnFamily.EVENTS, null, EventKeys.start(compactAt + 1))) {
        assertThat(events.valid()).as("events at or below the compact revision").isFalse();
      }
      Map<String, List<Long>> oldVersions = new java.util.TreeMap<>();
      try (var history = view.scan(ColumnFamily.KV_HISTORY, null, null)) {
        for (; history.valid(); history.next()) {
          byte[] key = history.key();
          long revision = Bytes.getLong(key, key.length - 8);
          if (revision <= compactAt) {
            assertThat(StoredKeyValues.isTombstone(history.value()))
                .as("a tombstone at or below the compact revision").isFalse();
            oldVersions.computeIfAbsent(new String(key, 0, key.length - 8,
                java.nio.charset.StandardCharsets.ISO_8859_1), k -> new java.util.ArrayList<>())
                .add(revision);
          }
        }
      }
      assertThat(oldVersions).isNotEmpty().allSatisfy((key, revisions) ->
          assertThat(revisions).as("versions of %s at or below the compact revision", key)
              .hasSize(1));
      return null;
    });
  }

  @Test
  void txnComparesChooseTheBranchAtomically() {
    store.applyOne(put("k", "v"));
    Command txn = Command.newBuilder().setTxn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(bytes("k")).setTarget(Compare.CompareTarget.VALUE)
            .setResult(Compare.CompareResult.EQUAL).setValue(bytes("v")))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(bytes("a")).setValue(bytes("1"))))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(bytes("b")).setValue(bytes("1"))))
        .addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder()
            .setKey(bytes("a"))))
        .addFailure(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(bytes("failed")).setValue(bytes("1"))))).build();
    var result = store.applyOne(txn);
    assertThat(result.getTxn().getSucceeded()).isTrue();
    assertThat(result.getRevision()).isEqualTo(3);
    assertThat(store.get("a").getKvs(0).getModRevision()).isEqualTo(3);
    assertThat(store.get("b").getKvs(0).getModRevision()).isEqualTo(3);
    // A range after a put in the same transaction sees the put.
    assertThat(result.getTxn().getResponses(2).getResponseRange().getKvsCount()).isEqualTo(1);
    store.applyOne(put("k", "other"));
    var failed = store.applyOne(txn);
    assertThat(failed.getTxn().getSucceeded()).isFalse();
    assertThat(store.get("failed").getKvsCount()).isEqualTo(1);
  }

  @Test
  void aValueCompareOnAMissingKeyFailsButAVersionCompareSeesZero() {
    Command txn = Command.newBuilder().setTxn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(bytes("missing"))
            .setTarget(Compare.CompareTarget.VALUE).setResult(Compare.CompareResult.EQUAL)
            .setValue(ByteString.EMPTY))).build();
    assertThat(store.applyOne(txn).getTxn().getSucceeded()).isFalse();
    Command version = Command.newBuilder().setTxn(TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(bytes("missing"))
            .setTarget(Compare.CompareTarget.VERSION).setResult(Compare.CompareResult.EQUAL)
            .setVersion(0))).build();
    assertThat(store.applyOne(version).getTxn().getSucceeded()).isTrue();
  }

  @Test
  void aRefusedCommandLeavesNoTrace() {
    store.applyOne(put("k", "v"));
    RangeRequest everything = RangeRequest.newBuilder().setKey(ByteString.copyFrom(new byte[] {0}))
        .setRangeEnd(ByteString.copyFrom(new byte[] {0})).build();
    var before = store.range(everything).getKvsList();
    long revision = store.stateMachine().revision();
    var refused = store.applyOne(Command.newBuilder().setPut(PutRequest.newBuilder()
        .setKey(bytes("k2")).setValue(bytes("v")).setSession(42)).build());
    assertThat(refused.getRejection().getReason())
        .isEqualTo(ErrorReason.SESSION_NOT_FOUND.getNumber());
    assertThat(store.stateMachine().revision()).isEqualTo(revision);
    assertThat(store.range(everything).getKvsList()).isEqualTo(before);
    store.applyOne(put("later", "x"));
    assertThat(store.range(everything.toBuilder().setRevision(revision + 1).build())
        .getKvsList()).extracting(kv -> kv.getKey().toStringUtf8()).containsExactly("k", "later");
  }

  private String value(RangeRequest.Builder request) {
    return store.range(request.build()).getKvs(0).getValue().toStringUtf8();
  }

  private ErrorReason error(RangeRequest.Builder request) {
    return errorOf(request).reason();
  }

  private CoordError errorOf(RangeRequest.Builder request) {
    try {
      store.range(request.build());
    } catch (CoordError e) {
      return e;
    }
    throw new AssertionError("expected an error");
  }
}
