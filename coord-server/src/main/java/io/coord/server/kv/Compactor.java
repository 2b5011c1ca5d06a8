package io.coord.server.kv;

import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.WriteTxn;
import java.util.ArrayList;
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
    for (int i = 0; i < eventKeys.size(); i++) {
      removeIfObsolete(txn, rawKeys.get(i), EventKeys.revision(eventKeys.get(i)), target);
      txn.delete(ColumnFamily.EVENTS, eventKeys.get(i));
    }
    meta.setCompactCursor(exhausted ? target : lastRevision);
    meta.save(txn);
    return meta.compactCursor() < target;
  }

  private static void removeIfObsolete(WriteTxn txn, byte[] rawKey, long revision, long target) {
    byte[] historyKey = HistoryKeys.of(rawKey, revision);
    byte[] stored = txn.get(ColumnFamily.KV_HISTORY, historyKey);
    if (stored == null) {
      return;
    }
    boolean superseded;
    try (Cursor next = txn.scan(ColumnFamily.KV_HISTORY, HistoryKeys.of(rawKey, revision + 1),
        HistoryKeys.of(rawKey, target + 1))) {
      superseded = next.valid();
    }
    if (superseded || StoredKeyValues.isTombstone(stored)) {
      txn.delete(ColumnFamily.KV_HISTORY, historyKey);
    }
  }
}
