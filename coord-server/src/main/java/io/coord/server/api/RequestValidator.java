package io.coord.server.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.MessageLite;
import io.coord.proto.v1.CompactionRequest;
import io.coord.proto.v1.Compare;
import io.coord.proto.v1.DeleteRangeRequest;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.server.config.ConfigKey;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KeyRange;
import io.coord.server.kv.SystemKeys;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks every request against the configured limits and the API's rules before anything
 * reaches the log. Messages name the field (as a path into the request) and the limit.
 */
public final class RequestValidator {
  private final long maxKeyBytes;
  private final long maxValueBytes;
  private final long maxRequestBytes;
  private final long maxTxnOps;
  private final LockRequestValidator fences;

  public RequestValidator(ServerConfig config) {
    this.fences = new LockRequestValidator(config);
    this.maxKeyBytes = config.get(ConfigKeys.MAX_KEY_BYTES);
    this.maxValueBytes = config.get(ConfigKeys.MAX_VALUE_BYTES);
    this.maxRequestBytes = config.get(ConfigKeys.MAX_REQUEST_BYTES);
    this.maxTxnOps = config.get(ConfigKeys.MAX_TXN_OPS);
  }

  public void checkRange(RangeRequest request) {
    checkSize("range", request);
    checkRange("range", request);
  }

  public void checkPut(PutRequest request) {
    checkSize("put", request);
    checkPut("put", request);
  }

  public void checkDeleteRange(DeleteRangeRequest request) {
    checkSize("delete_range", request);
    checkDeleteGuard("delete_range", request);
    checkKey("delete_range.key", request.getKey());
    checkWritable("delete_range.key", request.getKey());
    checkKey("delete_range.range_end", request.getRangeEnd(), true);
  }

  public void checkTxn(TxnRequest request) {
    checkSize("txn", request);
    checkTxn("txn", request);
  }

  public void checkCompaction(CompactionRequest request) {
    if (request.getRevision() <= 0) {
      throw CoordError.invalidField("compaction.revision", "must be a positive revision");
    }
  }

  private void checkSize(String path, MessageLite request) {
    int size = request.getSerializedSize();
    if (size > maxRequestBytes) {
      throw limit(path, size, maxRequestBytes, ConfigKeys.MAX_REQUEST_BYTES);
    }
  }

  private void checkRange(String path, RangeRequest request) {
    checkKey(path + ".key", request.getKey());
    checkKey(path + ".range_end", request.getRangeEnd(), true);
    nonNegative(path + ".limit", request.getLimit());
    nonNegative(path + ".revision", request.getRevision());
    nonNegative(path + ".min_revision", request.getMinRevision());
    nonNegative(path + ".min_mod_revision", request.getMinModRevision());
    nonNegative(path + ".max_mod_revision", request.getMaxModRevision());
    nonNegative(path + ".min_create_revision", request.getMinCreateRevision());
    nonNegative(path + ".max_create_revision", request.getMaxCreateRevision());
    if (request.getSortOrderValue() < 0 || request.getSortOrderValue() > 2) {
      throw CoordError.invalidField(path + ".sort_order", "unknown sort order");
    }
    if (request.getSortTargetValue() < 0 || request.getSortTargetValue() > 4) {
      throw CoordError.invalidField(path + ".sort_target", "unknown sort target");
    }
  }

  private void checkPut(String path, PutRequest request) {
    checkKey(path + ".key", request.getKey());
    checkWritable(path + ".key", request.getKey());
    if (request.hasGuard()) {
      fences.checkFence(path + ".guard", request.getGuard());
    }
    if (request.getValue().size() > maxValueBytes) {
      throw limit(path + ".value", request.getValue().size(), maxValueBytes,
          ConfigKeys.MAX_VALUE_BYTES);
    }
    nonNegative(path + ".session", request.getSession());
    if (request.getIgnoreValue() && !request.getValue().isEmpty()) {
      throw CoordError.invalidField(path + ".value", "must be empty with ignore_value");
    }
    if (request.getIgnoreSession() && request.getSession() != 0) {
      throw CoordError.invalidField(path + ".session", "must be 0 with ignore_session");
    }
  }

  private void checkDeleteGuard(String path, DeleteRangeRequest request) {
    if (request.hasGuard()) {
      fences.checkFence(path + ".guard", request.getGuard());
    }
  }

  private void checkTxn(String path, TxnRequest request) {
    if (request.hasGuard()) {
      fences.checkFence(path + ".guard", request.getGuard());
    }
    if (request.getCompareCount() > maxTxnOps) {
      throw limit(path + ".compare", request.getCompareCount(), maxTxnOps,
          ConfigKeys.MAX_TXN_OPS);
    }
    for (int i = 0; i < request.getCompareCount(); i++) {
      Compare compare = request.getCompare(i);
      String at = path + ".compare[" + i + "]";
      if (compare.getResultValue() < 0 || compare.getResultValue() > 3) {
        throw CoordError.invalidField(at + ".result", "unknown comparison");
      }
      if (compare.getTargetValue() < 0 || compare.getTargetValue() > 6) {
        throw CoordError.invalidField(at + ".target", "unknown target");
      }
      if (compare.getTarget() == Compare.CompareTarget.HELD
          || compare.getTarget() == Compare.CompareTarget.SESSION_ALIVE) {
        checkFactCompare(at, compare);
        continue;
      }
      checkKey(at + ".key", compare.getKey());
      checkKey(at + ".range_end", compare.getRangeEnd(), true);
    }
    checkBranch(path + ".success", request.getSuccessList());
    checkBranch(path + ".failure", request.getFailureList());
  }

  /** HELD and SESSION_ALIVE test a fact, not keys: EQUAL or NOT_EQUAL, and no key. */
  private void checkFactCompare(String at, Compare compare) {
    if (compare.getResult() != Compare.CompareResult.EQUAL
        && compare.getResult() != Compare.CompareResult.NOT_EQUAL) {
      throw CoordError.invalidField(at + ".result", compare.getTarget()
          + " takes EQUAL or NOT_EQUAL only");
    }
    if (!compare.getKey().isEmpty() || !compare.getRangeEnd().isEmpty()) {
      throw CoordError.invalidField(at + ".key", "must be empty for " + compare.getTarget());
    }
    if (compare.getTarget() == Compare.CompareTarget.HELD) {
      if (!compare.hasHeld()) {
        throw CoordError.invalidField(at + ".held", "required for HELD: the lock (or election)"
            + " and the token");
      }
      fences.checkFence(at + ".held", compare.getHeld());
    } else if (compare.getSession() <= 0) {
      throw CoordError.invalidField(at + ".session", "must be a session id > 0 for"
          + " SESSION_ALIVE (got " + compare.getSession() + ")");
    }
  }

  private void checkBranch(String path, List<RequestOp> ops) {
    long total = countOps(ops);
    if (total > maxTxnOps) {
      throw limit(path, total, maxTxnOps, ConfigKeys.MAX_TXN_OPS);
    }
    List<KeyRange> puts = new ArrayList<>();
    List<KeyRange> deletes = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      RequestOp op = ops.get(i);
      String at = path + "[" + i + "]";
      switch (op.getRequestCase()) {
        case REQUEST_RANGE -> checkRange(at + ".request_range", op.getRequestRange());
        case REQUEST_PUT -> {
          checkPut(at + ".request_put", op.getRequestPut());
          puts.add(KeyRange.of(op.getRequestPut().getKey().toByteArray(), new byte[0]));
        }
        case REQUEST_DELETE_RANGE -> {
          DeleteRangeRequest delete = op.getRequestDeleteRange();
          checkDeleteGuard(at + ".request_delete_range", delete);
          checkKey(at + ".request_delete_range.key", delete.getKey());
          checkWritable(at + ".request_delete_range.key", delete.getKey());
          checkKey(at + ".request_delete_range.range_end", delete.getRangeEnd(), true);
          deletes.add(KeyRange.of(delete.getKey().toByteArray(),
              delete.getRangeEnd().toByteArray()));
        }
        case REQUEST_TXN -> {
          checkTxn(at + ".request_txn", op.getRequestTxn());
          collectWrites(op.getRequestTxn().getSuccessList(), puts, deletes);
          collectWrites(op.getRequestTxn().getFailureList(), puts, deletes);
        }
        case REQUEST_NOT_SET -> throw CoordError.invalidField(at, "empty operation");
      }
    }
    for (int i = 0; i < puts.size(); i++) {
      for (int j = i + 1; j < puts.size(); j++) {
        if (puts.get(i).overlaps(puts.get(j))) {
          throw CoordError.invalidField(path, "the same key is put twice in one transaction");
        }
      }
      for (KeyRange delete : deletes) {
        if (puts.get(i).overlaps(delete)) {
          throw CoordError.invalidField(path,
              "a key is both put and deleted in one transaction");
        }
      }
    }
  }

  private static void collectWrites(List<RequestOp> ops, List<KeyRange> puts,
      List<KeyRange> deletes) {
    for (RequestOp op : ops) {
      switch (op.getRequestCase()) {
        case REQUEST_PUT -> puts.add(KeyRange.of(op.getRequestPut().getKey().toByteArray(),
            new byte[0]));
        case REQUEST_DELETE_RANGE -> deletes.add(KeyRange.of(
            op.getRequestDeleteRange().getKey().toByteArray(),
            op.getRequestDeleteRange().getRangeEnd().toByteArray()));
        case REQUEST_TXN -> {
          collectWrites(op.getRequestTxn().getSuccessList(), puts, deletes);
          collectWrites(op.getRequestTxn().getFailureList(), puts, deletes);
        }
        default -> { }
      }
    }
  }

  private static long countOps(List<RequestOp> ops) {
    long count = ops.size();
    for (RequestOp op : ops) {
      if (op.hasRequestTxn()) {
        count += countOps(op.getRequestTxn().getSuccessList())
            + countOps(op.getRequestTxn().getFailureList());
      }
    }
    return count;
  }

  public void checkWatchCreate(WatchCreateRequest request) {
    checkKey("create_request.key", request.getKey());
    checkKey("create_request.range_end", request.getRangeEnd(), true);
    ByteString end = request.getRangeEnd();
    boolean fromKey = end.size() == 1 && end.byteAt(0) == 0;
    if (!end.isEmpty() && !fromKey
        && ByteString.unsignedLexicographicalComparator().compare(end, request.getKey()) <= 0) {
      throw CoordError.invalidField("create_request.range_end", "must be greater than key"
          + " (or empty for the key alone, or \\0 for every key from key on)");
    }
    if (request.getStartRevision() < 0) {
      throw CoordError.invalidField("create_request.start_revision", "must not be negative (got "
          + request.getStartRevision() + "); 0 watches from the next revision");
    }
    if (request.getWatchId() < 0) {
      throw CoordError.invalidField("create_request.watch_id", "must not be negative (got "
          + request.getWatchId() + "); 0 lets the member choose");
    }
    if (request.getFiltersList().contains(WatchCreateRequest.FilterType.UNRECOGNIZED)) {
      throw CoordError.invalidField("create_request.filters", "unknown filter");
    }
  }

  private void checkKey(String field, ByteString key) {
    checkKey(field, key, false);
  }

  private void checkKey(String field, ByteString key, boolean mayBeEmpty) {
    if (key.isEmpty() && !mayBeEmpty) {
      throw CoordError.invalidField(field, "required (a non-empty key)");
    }
    if (key.size() > maxKeyBytes) {
      throw limit(field, key.size(), maxKeyBytes, ConfigKeys.MAX_KEY_BYTES);
    }
  }

  /** Clients never write the reserved keyspace; a range starting in it is refused too. */
  private static void checkWritable(String field, ByteString key) {
    if (SystemKeys.isReserved(key.toByteArray())) {
      throw CoordError.invalidField(field, "keys starting with two zero bytes are reserved for"
          + " Coord's own records (locks, elections, services); use their APIs");
    }
  }

  private static void nonNegative(String field, long value) {
    if (value < 0) {
      throw CoordError.invalidField(field, "must not be negative (got " + value + ")");
    }
  }

  private static CoordError limit(String field, long actual, long limit, ConfigKey<?> key) {
    String unit = key == ConfigKeys.MAX_TXN_OPS ? "operations" : "bytes";
    return CoordError.limitExceeded(field, actual, limit, unit, key.name());
  }
}
