package io.coord.server.kv;

import io.coord.proto.v1.Compare;
import io.coord.proto.v1.CompactionRequest;
import io.coord.proto.v1.CompactionResponse;
import io.coord.proto.v1.DeleteRangeRequest;
import io.coord.proto.v1.DeleteRangeResponse;
import io.coord.proto.v1.Fence;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.PutResponse;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.ResponseHeader;
import io.coord.proto.v1.ResponseOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.proto.v1.TxnResponse;
import io.coord.server.error.CoordError;
import io.coord.server.storage.WriteTxn;
import java.util.Arrays;
import java.util.List;

/**
 * Applies the key-value commands (put, delete range, txn, compact) to a write transaction.
 * Deterministic: the outcome depends only on the stored state and the command.
 */
public final class KvCommands {
  private final SessionAttachments sessions;
  private final Fences fences;

  public KvCommands(SessionAttachments sessions) {
    this(sessions, Fences.NONE);
  }

  /** @param fences checks the fencing guards of writes and the {@code HELD} compares */
  public KvCommands(SessionAttachments sessions, Fences fences) {
    this.sessions = sessions;
    this.fences = fences;
  }

  /** Refuses the write unless its guard (if any) is current. Nothing is changed before. */
  private void checkGuard(WriteTxn txn, boolean guarded, Fence guard) {
    if (guarded && !fences.current(txn, guard)) {
      throw fences.stale(txn, guard);
    }
  }

  public PutResponse put(WriteTxn txn, KvWriter writer, PutRequest request) {
    checkGuard(txn, request.hasGuard(), request.getGuard());
    byte[] key = request.getKey().toByteArray();
    KeyValue prev = writer.current(key);
    if (prev == null && (request.getIgnoreValue() || request.getIgnoreSession())) {
      throw CoordError.invalidField(
          request.getIgnoreValue() ? "ignore_value" : "ignore_session", "key not found");
    }
    long session = request.getIgnoreSession() ? prev.getSession() : request.getSession();
    if (!request.getIgnoreSession() && session != 0 && !sessions.exists(txn, session)) {
      throw sessions.missing(txn, session);
    }
    long prevSession = prev == null ? 0 : prev.getSession();
    if (prevSession != session) {
      if (prevSession != 0) {
        sessions.detach(txn, prevSession, key);
      }
      if (session != 0) {
        sessions.attach(txn, session, key);
      }
    }
    writer.put(key, request.getIgnoreValue() ? prev.getValue() : request.getValue(), session,
        prev);
    PutResponse.Builder response = PutResponse.newBuilder();
    if (request.getPrevKv() && prev != null) {
      response.setPrevKv(prev);
    }
    return response.build();
  }

  public DeleteRangeResponse deleteRange(WriteTxn txn, KvWriter writer,
      DeleteRangeRequest request) {
    checkGuard(txn, request.hasGuard(), request.getGuard());
    List<KeyValue> deleted = writer.deleteRange(
        KeyRange.of(request.getKey().toByteArray(), request.getRangeEnd().toByteArray()));
    for (KeyValue kv : deleted) {
      if (kv.getSession() != 0) {
        sessions.detach(txn, kv.getSession(), kv.getKey().toByteArray());
      }
    }
    DeleteRangeResponse.Builder response = DeleteRangeResponse.newBuilder()
        .setDeleted(deleted.size());
    if (request.getPrevKv()) {
      response.addAllPrevKvs(deleted);
    }
    return response.build();
  }

  /** Runs a transaction; every change it makes shares the writer's revision. */
  public TxnResponse txn(WriteTxn txn, KvWriter writer, KvMeta meta, TxnRequest request) {
    checkGuard(txn, request.hasGuard(), request.getGuard());
    boolean succeeded = request.getCompareList().stream().allMatch(c -> holds(txn, c));
    List<RequestOp> ops = succeeded ? request.getSuccessList() : request.getFailureList();
    TxnResponse.Builder response = TxnResponse.newBuilder().setSucceeded(succeeded);
    for (RequestOp op : ops) {
      response.addResponses(run(txn, writer, meta, op));
    }
    return response.build();
  }

  private ResponseOp run(WriteTxn txn, KvWriter writer, KvMeta meta, RequestOp op) {
    ResponseHeader header = ResponseHeader.newBuilder().setRevision(writer.revision()).build();
    return switch (op.getRequestCase()) {
      case REQUEST_RANGE -> ResponseOp.newBuilder()
          .setResponseRange(KvReader.range(txn, meta, op.getRequestRange())).build();
      case REQUEST_PUT -> ResponseOp.newBuilder()
          .setResponsePut(put(txn, writer, op.getRequestPut()).toBuilder().setHeader(header))
          .build();
      case REQUEST_DELETE_RANGE -> ResponseOp.newBuilder()
          .setResponseDeleteRange(deleteRange(txn, writer, op.getRequestDeleteRange())
              .toBuilder().setHeader(header))
          .build();
      case REQUEST_TXN -> ResponseOp.newBuilder()
          .setResponseTxn(txn(txn, writer, meta, op.getRequestTxn()).toBuilder()
              .setHeader(header))
          .build();
      case REQUEST_NOT_SET -> throw CoordError.invalidField("request_op", "empty operation");
    };
  }

  /** Evaluates one comparison like etcd: a missing key fails a value comparison. */
  private boolean holds(WriteTxn txn, Compare compare) {
    switch (compare.getTarget()) {
      case HELD -> {
        return truth(compare, fences.current(txn, compare.getHeld()));
      }
      case SESSION_ALIVE -> {
        return truth(compare, sessions.exists(txn, compare.getSession()));
      }
      default -> { }
    }
    List<KeyValue> kvs = KvReader.current(txn,
        KeyRange.of(compare.getKey().toByteArray(), compare.getRangeEnd().toByteArray()));
    if (kvs.isEmpty()) {
      if (compare.getTarget() == Compare.CompareTarget.VALUE) {
        return false;
      }
      return holds(compare, KeyValue.getDefaultInstance());
    }
    return kvs.stream().allMatch(kv -> holds(compare, kv));
  }

  private static boolean holds(Compare compare, KeyValue kv) {
    int order = switch (compare.getTarget()) {
      case VERSION -> Long.compare(kv.getVersion(), compare.getVersion());
      case CREATE -> Long.compare(kv.getCreateRevision(), compare.getCreateRevision());
      case MOD -> Long.compare(kv.getModRevision(), compare.getModRevision());
      case VALUE -> Arrays.compareUnsigned(kv.getValue().toByteArray(),
          compare.getValue().toByteArray());
      case SESSION -> Long.compare(kv.getSession(), compare.getSession());
      case HELD, SESSION_ALIVE -> throw new IllegalStateException("not a key comparison");
      case UNRECOGNIZED -> throw CoordError.invalidField("compare.target", "unknown target");
    };
    return switch (compare.getResult()) {
      case EQUAL -> order == 0;
      case NOT_EQUAL -> order != 0;
      case GREATER -> order > 0;
      case LESS -> order < 0;
      case UNRECOGNIZED -> throw CoordError.invalidField("compare.result", "unknown result");
    };
  }

  /** A yes-or-no comparison: EQUAL holds when {@code fact} does, NOT_EQUAL when it does not. */
  private static boolean truth(Compare compare, boolean fact) {
    return switch (compare.getResult()) {
      case EQUAL -> fact;
      case NOT_EQUAL -> !fact;
      default -> throw CoordError.invalidField("compare.result",
          compare.getTarget() + " takes EQUAL or NOT_EQUAL only");
    };
  }

  /** Compacts logically now; the physical cleanup proceeds in {@link Compactor#step} calls. */
  public CompactionResponse compact(WriteTxn txn, KvMeta meta, CompactionRequest request) {
    long revision = request.getRevision();
    if (revision <= meta.compactRevision()) {
      throw CoordError.compacted(revision, meta.compactRevision());
    }
    if (revision > meta.revision()) {
      throw CoordError.futureRevision(revision, meta.revision());
    }
    meta.setCompactRevision(revision);
    return CompactionResponse.getDefaultInstance();
  }
}
