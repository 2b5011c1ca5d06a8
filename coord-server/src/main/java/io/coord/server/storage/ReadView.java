package io.coord.server.storage;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.Snapshot;

/** A consistent, read-only view of the committed state (a RocksDB snapshot). */
public final class ReadView implements Reader, AutoCloseable {
  private final Backend backend;
  private final Snapshot snapshot;
  private final ReadOptions options;
  private boolean closed;

  ReadView(Backend backend) {
    this.backend = backend;
    this.snapshot = backend.db().getSnapshot();
    this.options = new ReadOptions().setSnapshot(snapshot);
  }

  @Override
  public byte[] get(ColumnFamily cf, byte[] key) {
    try {
      return backend.db().get(backend.handle(cf), options, key);
    } catch (RocksDBException e) {
      throw new StorageException("read of " + cf.cfName() + " failed: " + e.getMessage(), e);
    }
  }

  @Override
  public Cursor scan(ColumnFamily cf, byte[] lower, byte[] upper) {
    return cursor(cf, lower, upper, false);
  }

  @Override
  public Cursor scanReverse(ColumnFamily cf, byte[] lower, byte[] upper) {
    return cursor(cf, lower, upper, true);
  }

  private Cursor cursor(ColumnFamily cf, byte[] lower, byte[] upper, boolean reverse) {
    IterationBounds bounds = new IterationBounds(snapshot, lower, upper);
    try {
      return new RocksCursor(backend.db().newIterator(backend.handle(cf), bounds.options()),
          lower, upper, reverse, bounds::close);
    } catch (RuntimeException e) {
      bounds.close();
      throw e;
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    options.close();
    backend.db().releaseSnapshot(snapshot);
    backend.releaseShared();
  }
}
