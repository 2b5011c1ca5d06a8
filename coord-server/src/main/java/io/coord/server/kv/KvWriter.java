package io.coord.server.kv;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.KeyValue;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.WriteTxn;
import java.util.ArrayList;
import java.util.List;

/**
 * The mutations of one command at one new revision. Every change writes the current state,
 * a history record and an event record; {@link #finish()} advances the revision only if
 * something changed.
 */
public final class KvWriter {
  private final WriteTxn txn;
  private final KvMeta meta;
  private final List<KvEvent> events;
  private final long revision;
  private int changes;

  public KvWriter(WriteTxn txn, KvMeta meta, List<KvEvent> events) {
    this.txn = txn;
    this.meta = meta;
    this.events = events;
    this.revision = meta.revision() + 1;
  }

  /** The revision this writer's changes get. */
  public long revision() {
    return revision;
  }

  /** Returns the current version of {@code key} (including this command's writes), or null. */
  public KeyValue current(byte[] key) {
    byte[] stored = txn.get(ColumnFamily.KV, key);
    return stored == null ? null : StoredKeyValues.decode(key, stored);
  }

  /** Writes {@code key}; {@code prev} is its current version or null. */
  public KeyValue put(byte[] key, ByteString value, long session, KeyValue prev) {
    KeyValue kv = KeyValue.newBuilder()
        .setKey(ByteString.copyFrom(key))
        .setValue(value)
        .setSession(session)
        .setCreateRevision(prev == null ? revision : prev.getCreateRevision())
        .setModRevision(revision)
        .setVersion(prev == null ? 1 : prev.getVersion() + 1)
        .build();
    byte[] stored = StoredKeyValues.encode(kv);
    txn.put(ColumnFamily.KV, key, stored);
    txn.put(ColumnFamily.KV_HISTORY, HistoryKeys.of(key, revision), stored);
    txn.put(ColumnFamily.EVENTS, EventKeys.of(revision, changes++), key);
    events.add(new KvEvent(KvEvent.Type.PUT, kv, prev));
    return kv;
  }

  /**
   * Deletes every live client key in {@code range} (never a reserved key: those are deleted one
   * by one by the feature that owns them) and returns what was deleted, in key order.
   */
  public List<KeyValue> deleteRange(KeyRange range) {
    List<KeyValue> deleted = new ArrayList<>();
    if (range.isEmpty()) {
      return deleted;
    }
    try (Cursor cursor = txn.scan(ColumnFamily.KV, range.lower(), range.upper())) {
      for (; cursor.valid(); cursor.next()) {
        byte[] key = cursor.key();
        if (!SystemKeys.isReserved(key)) {
          deleted.add(StoredKeyValues.decode(key, cursor.value()));
        }
      }
    }
    for (KeyValue prev : deleted) {
      delete(prev);
    }
    return deleted;
  }

  /** Deletes one live key given its current version. */
  public void delete(KeyValue prev) {
    byte[] key = prev.getKey().toByteArray();
    txn.delete(ColumnFamily.KV, key);
    txn.put(ColumnFamily.KV_HISTORY, HistoryKeys.of(key, revision), new byte[0]);
    txn.put(ColumnFamily.EVENTS, EventKeys.of(revision, changes++), key);
    KeyValue tombstone = KeyValue.newBuilder().setKey(prev.getKey()).setModRevision(revision)
        .build();
    events.add(new KvEvent(KvEvent.Type.DELETE, tombstone, prev));
  }

  /** Commits the revision if anything changed; returns the store revision after the command. */
  public long finish() {
    if (changes > 0) {
      meta.setRevision(revision);
    }
    return meta.revision();
  }
}
