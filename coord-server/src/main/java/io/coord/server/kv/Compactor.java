package io.coord.server.kv;

import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.WriteTxn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Physical compaction, in bounded steps driven by the log: removes the events up to the
 * compact revision and every history record that a newer version at or below the compact
 * revision supersedes (plus tombstones that nothing needs any more). The newest version of each
 * key at the compact revision stays, so reads at that revision keep working.
 */
public final class Compactor {
  private Compactor() {}

  /**
   * Removes about {@code maxEvents} compacted events (always whole revisions) and what they
   * make obsolete.
   *
   * @return true if work remains
   */
  public static boolean step(WriteTxn txn, KvMeta meta, int maxEvents) {
    long target = meta.compactRevision();
    if (meta.compactCursor() >= target) {
      return false;
    }
    List<byte[]> eventKeys = new ArrayList<>();
    List<byte[]> rawKeys = new ArrayList<>();
    long lastRevision = meta.compactCursor();
    boolean exhausted;
    try (Cursor cursor = txn.scan(ColumnFamily.EVENTS, EventKeys.start(meta.compactCursor() + 1),
        EventKeys.start(target + 1))) {
      for (; cursor.valid(); cursor.next()) {
        long revision = EventKeys.revision(cursor.key());
        if (eventKeys.size() >= maxEvents && revision != lastRevision) {
          break;
        }
        eventKeys.add(cursor.key());
        rawKeys.add(cursor.value());
        lastRevision = revision;
      }
      exhausted = !cursor.valid();
    }
    // Every check before any delete: an iterator over the write batch must not see the batch
    // change under it. Checks look only at versions newer than their event, which the deletes
    // of this step (of versions at or below their own event) do not touch.
    List<byte[]> obsolete = new ArrayList<>();
    try (Cursor history = txn.scan(ColumnFamily.KV_HISTORY, null, null)) {
      for (int i = 0; i < eventKeys.size(); i++) {
        byte[] historyKey = obsoleteHistory(txn, history, rawKeys.get(i),
            EventKeys.revision(eventKeys.get(i)), target);
        if (historyKey != null) {
          obsolete.add(historyKey);
        }
      }
    }
    for (byte[] historyKey : obsolete) {
      txn.delete(ColumnFamily.KV_HISTORY, historyKey);
    }
    for (byte[] eventKey : eventKeys) {
      txn.delete(ColumnFamily.EVENTS, eventKey);
    }
    meta.setCompactCursor(exhausted ? target : lastRevision);
    return meta.compactCursor() < target;
  }

  /**
   * The history record of {@code rawKey} at {@code revision} if a newer version at or below
   * the compact revision supersedes it or it is a tombstone; else null.
   */
  private static byte[] obsoleteHistory(WriteTxn txn, Cursor history, byte[] rawKey,
      long revision, long target) {
    byte[] historyKey = HistoryKeys.of(rawKey, revision);
    byte[] stored = txn.get(ColumnFamily.KV_HISTORY, historyKey);
    if (stored == null) {
      return null;
    }
    history.seek(HistoryKeys.of(rawKey, revision + 1));
    boolean superseded = history.valid()
        && Arrays.compareUnsigned(history.key(), HistoryKeys.of(rawKey, target + 1)) < 0;
    return superseded || StoredKeyValues.isTombstone(stored) ? historyKey : null;
  }
}
