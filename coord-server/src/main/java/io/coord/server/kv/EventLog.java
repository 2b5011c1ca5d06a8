package io.coord.server.kv;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.KeyValue;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.Reader;
import io.coord.server.storage.StorageException;

/**
 * Walks the stored events of a span of revisions in order (revision, then the order the
 * command made them) and rebuilds them exactly as apply reported them: the key after the change
 * from the history record at that revision, the key before it from the previous history record.
 *
 * <p>Events above the compact revision are complete, and so are their previous versions: the
 * compactor keeps the newest version at or below the compact revision.
 */
public final class EventLog implements AutoCloseable {
  private final Reader reader;
  private final Cursor cursor;
  private boolean started;

  private EventLog(Reader reader, long fromRevision, long toRevision) {
    this.reader = reader;
    this.cursor = reader.scan(ColumnFamily.EVENTS, EventKeys.start(fromRevision),
        EventKeys.start(toRevision + 1));
  }

  /** The events of revisions {@code [fromRevision, toRevision]}. */
  public static EventLog scan(Reader reader, long fromRevision, long toRevision) {
    return new EventLog(reader, fromRevision, toRevision);
  }

  /** Moves to the next event; false when there is none. */
  public boolean next() {
    if (started) {
      cursor.next();
    }
    started = true;
    return cursor.valid();
  }

  /** Revision of the current event. */
  public long revision() {
    return EventKeys.revision(cursor.key());
  }

  /** Raw key of the current event. */
  public byte[] key() {
    return cursor.value();
  }

  /**
   * Rebuilds the current event.
   *
   * @param withPrev also load the previous version of the key (else {@code prevKv} is null)
   */
  public KvEvent event(boolean withPrev) {
    long revision = revision();
    byte[] key = key();
    byte[] stored = reader.get(ColumnFamily.KV_HISTORY, HistoryKeys.of(key, revision));
    if (stored == null) {
      throw new StorageException("no history record for an event at revision " + revision, null);
    }
    KeyValue prev = withPrev ? previous(key, revision) : null;
    if (StoredKeyValues.isTombstone(stored)) {
      KeyValue tombstone = KeyValue.newBuilder().setKey(ByteString.copyFrom(key))
          .setModRevision(revision).build();
      return new KvEvent(KvEvent.Type.DELETE, tombstone, prev);
    }
    return new KvEvent(KvEvent.Type.PUT, StoredKeyValues.decode(key, stored), prev);
  }

  private KeyValue previous(byte[] key, long revision) {
    try (Cursor older = reader.scanReverse(ColumnFamily.KV_HISTORY, HistoryKeys.prefix(key),
        HistoryKeys.of(key, revision))) {
      if (!older.valid() || StoredKeyValues.isTombstone(older.value())) {
        return null;
      }
      return StoredKeyValues.decode(key, older.value());
    }
  }

  @Override
  public void close() {
    cursor.close();
  }
}
