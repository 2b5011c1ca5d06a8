package io.coord.server.kv;

import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RangeRequest.SortOrder;
import io.coord.proto.v1.RangeRequest.SortTarget;
import io.coord.proto.v1.RangeResponse;
import io.coord.proto.v1.ResponseHeader;
import io.coord.server.error.CoordError;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.Reader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** Range reads at the current or a historical revision. */
public final class KvReader {
  private KvReader() {}

  /**
   * Serves a range request from {@code reader}, whose state {@code meta} describes.
   *
   * @throws CoordError COMPACTED or FUTURE_REVISION for a revision out of the retained window
   */
  public static RangeResponse range(Reader reader, KvMeta meta, RangeRequest request) {
    long atRevision = request.getRevision() == 0 ? meta.revision() : request.getRevision();
    checkReadable(meta, atRevision);
    KeyRange range = KeyRange.of(request.getKey().toByteArray(),
        request.getRangeEnd().toByteArray());
    List<KeyValue> matches = new ArrayList<>();
    long count = 0;
    boolean sorted = needsSort(request);
    long keep = request.getLimit() > 0 && !sorted ? request.getLimit() : Long.MAX_VALUE;
    boolean skipReserved = SystemKeys.skipsReserved(range);
    if (!range.isEmpty()) {
      KeyValueSource source = atRevision == meta.revision()
          ? new CurrentSource(reader, range) : new HistorySource(reader, range, atRevision);
      try (source) {
        for (KeyValue kv = source.next(); kv != null; kv = source.next()) {
          if (!passesFilters(request, kv)
              || skipReserved && SystemKeys.isReserved(kv.getKey().toByteArray())) {
            continue;
          }
          count++;
          if (!request.getCountOnly() && matches.size() < keep) {
            matches.add(request.getKeysOnly() ? kv.toBuilder().clearValue().build() : kv);
          }
        }
      }
    }
    if (sorted) {
      matches.sort(comparator(request));
    }
    boolean more = false;
    if (request.getLimit() > 0 && count > request.getLimit()) {
      more = true;
      if (matches.size() > request.getLimit()) {
        matches = matches.subList(0, (int) request.getLimit());
      }
    }
    return RangeResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(meta.revision()))
        .addAllKvs(matches)
        .setCount(count)
        .setMore(more)
        .build();
  }

  /** Fails unless the state at {@code revision} is retained. */
  public static void checkReadable(KvMeta meta, long revision) {
    if (revision > meta.revision()) {
      throw CoordError.futureRevision(revision, meta.revision());
    }
    if (revision < meta.compactRevision()) {
      throw CoordError.compacted(revision, meta.compactRevision());
    }
  }

  /**
   * Returns the live keys of {@code range} in the current state, as a client sees them (reserved
   * keys only if the range starts among them); for compares.
   */
  public static List<KeyValue> current(Reader reader, KeyRange range) {
    List<KeyValue> out = new ArrayList<>();
    if (range.isEmpty()) {
      return out;
    }
    boolean skipReserved = SystemKeys.skipsReserved(range);
    try (CurrentSource source = new CurrentSource(reader, range)) {
      for (KeyValue kv = source.next(); kv != null; kv = source.next()) {
        if (!skipReserved || !SystemKeys.isReserved(kv.getKey().toByteArray())) {
          out.add(kv);
        }
      }
    }
    return out;
  }

  private static boolean needsSort(RangeRequest request) {
    if (request.getSortOrder() == SortOrder.NONE) {
      return request.getSortTarget() != SortTarget.KEY;
    }
    return !(request.getSortOrder() == SortOrder.ASCEND
        && request.getSortTarget() == SortTarget.KEY);
  }

  private static Comparator<KeyValue> comparator(RangeRequest request) {
    Comparator<KeyValue> byTarget = switch (request.getSortTarget()) {
      case VERSION -> Comparator.comparingLong(KeyValue::getVersion);
      case CREATE -> Comparator.comparingLong(KeyValue::getCreateRevision);
      case MOD -> Comparator.comparingLong(KeyValue::getModRevision);
      case VALUE -> (a, b) -> Arrays.compareUnsigned(a.getValue().toByteArray(),
          b.getValue().toByteArray());
      default -> (a, b) -> Arrays.compareUnsigned(a.getKey().toByteArray(),
          b.getKey().toByteArray());
    };
    return request.getSortOrder() == SortOrder.DESCEND ? byTarget.reversed() : byTarget;
  }

  private static boolean passesFilters(RangeRequest request, KeyValue kv) {
    return (request.getMinModRevision() == 0 || kv.getModRevision() >= request.getMinModRevision())
        && (request.getMaxModRevision() == 0 || kv.getModRevision() <= request.getMaxModRevision())
        && (request.getMinCreateRevision() == 0
            || kv.getCreateRevision() >= request.getMinCreateRevision())
        && (request.getMaxCreateRevision() == 0
            || kv.getCreateRevision() <= request.getMaxCreateRevision());
  }

  private interface KeyValueSource extends AutoCloseable {
    KeyValue next();

    @Override
    void close();
  }

  private static final class CurrentSource implements KeyValueSource {
    private final Cursor cursor;

    CurrentSource(Reader reader, KeyRange range) {
      this.cursor = reader.scan(ColumnFamily.KV, range.lower(), range.upper());
    }

    @Override
    public KeyValue next() {
      if (!cursor.valid()) {
        return null;
      }
      KeyValue kv = StoredKeyValues.decode(cursor.key(), cursor.value());
      cursor.next();
      return kv;
    }

    @Override
    public void close() {
      cursor.close();
    }
  }

  /** Walks every retained version in the range and yields each key's newest one at a revision. */
  private static final class HistorySource implements KeyValueSource {
    private final Cursor cursor;
    private final long atRevision;

    HistorySource(Reader reader, KeyRange range, long atRevision) {
      this.cursor = reader.scan(ColumnFamily.KV_HISTORY, HistoryKeys.bound(range.lower()),
          HistoryKeys.bound(range.upper()));
      this.atRevision = atRevision;
    }

    @Override
    public KeyValue next() {
      while (cursor.valid()) {
        byte[] groupKey = cursor.key();
        byte[] newestKey = null;
        byte[] newestValue = null;
        for (; cursor.valid() && HistoryKeys.sameKey(groupKey, cursor.key()); cursor.next()) {
          byte[] historyKey = cursor.key();
          if (HistoryKeys.revision(historyKey) <= atRevision) {
            newestKey = historyKey;
            newestValue = cursor.value();
          }
        }
        if (newestValue != null && !StoredKeyValues.isTombstone(newestValue)) {
          return StoredKeyValues.decode(HistoryKeys.rawKey(newestKey), newestValue);
        }
      }
      return null;
    }

    @Override
    public void close() {
      cursor.close();
    }
  }
}
