package io.coord.server.kv;

import io.coord.server.storage.Bytes;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Reader;
import io.coord.server.storage.WriteTxn;
import java.nio.charset.StandardCharsets;

/**
 * The store-wide counters of the key-value store, kept in the META column family in the same
 * batch as the data they describe: the state machine saves them once per log entry, after its
 * last command ({@link #saveIfChanged}).
 */
public final class KvMeta {
  static final byte[] REVISION = "kv/revision".getBytes(StandardCharsets.UTF_8);
  static final byte[] COMPACT_REVISION = "kv/compact_revision".getBytes(StandardCharsets.UTF_8);
  static final byte[] COMPACT_CURSOR = "kv/compact_cursor".getBytes(StandardCharsets.UTF_8);

  /** The revision of an empty store, as in etcd: the first write creates revision 2. */
  public static final long INITIAL_REVISION = 1;

  private long revision;
  private long compactRevision;
  private long compactCursor;
  private boolean changed;

  private KvMeta(long revision, long compactRevision, long compactCursor) {
    this.revision = revision;
    this.compactRevision = compactRevision;
    this.compactCursor = compactCursor;
  }

  public static KvMeta load(Reader reader) {
    return new KvMeta(
        readLong(reader, REVISION, INITIAL_REVISION),
        readLong(reader, COMPACT_REVISION, 0),
        readLong(reader, COMPACT_CURSOR, 0));
  }

  private static long readLong(Reader reader, byte[] key, long missing) {
    byte[] value = reader.get(ColumnFamily.META, key);
    return value == null ? missing : Bytes.toLong(value);
  }

  public KvMeta copy() {
    return new KvMeta(revision, compactRevision, compactCursor);
  }

  /** Takes over every counter of {@code other} (used to undo a refused command). */
  public void restore(KvMeta other) {
    this.revision = other.revision;
    this.compactRevision = other.compactRevision;
    this.compactCursor = other.compactCursor;
    this.changed = true;
  }

  /** Writes the counters into {@code txn} if any changed since they were last written. */
  public void saveIfChanged(WriteTxn txn) {
    if (!changed) {
      return;
    }
    txn.put(ColumnFamily.META, REVISION, Bytes.longBytes(revision));
    txn.put(ColumnFamily.META, COMPACT_REVISION, Bytes.longBytes(compactRevision));
    txn.put(ColumnFamily.META, COMPACT_CURSOR, Bytes.longBytes(compactCursor));
    changed = false;
  }

  public long revision() {
    return revision;
  }

  public long compactRevision() {
    return compactRevision;
  }

  public long compactCursor() {
    return compactCursor;
  }

  void setRevision(long revision) {
    this.revision = revision;
    changed = true;
  }

  void setCompactRevision(long compactRevision) {
    this.compactRevision = compactRevision;
    changed = true;
  }

  void setCompactCursor(long compactCursor) {
    this.compactCursor = compactCursor;
    changed = true;
  }
}
