package io.coord.server.storage;

import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatchWithIndex;

/**
 * The writes of one applied log entry, committed atomically by {@link #commit()}. Reads through
 * the transaction see its own uncommitted writes.
 */
public final class WriteTxn implements Reader, AutoCloseable {
  private final Backend backend;
  private final WriteBatchWithIndex batch = new WriteBatchWithIndex(true);
  private final ReadOptions readOptions = new ReadOptions();
  private boolean closed;

  WriteTxn(Backend backend) {
    this.backend = backend;
  }

  @Override
  public byte[] get(ColumnFamily cf, byte[] key) {
    try {
      return batch.getFromBatchAndDB(backend.db(), backend.handle(cf), readOptions, key);
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
    IterationBounds bounds = new IterationBounds(null, lower, upper);
    try {
      // The merged iterator owns the base iterator and closes it.
      var base = backend.db().newIterator(backend.handle(cf), bounds.options());
      return new RocksCursor(
          batch.newIteratorWithBase(backend.handle(cf), base, bounds.options()), lower, upper,
          reverse, bounds::close);
    } catch (RuntimeException e) {
      bounds.close();
      throw e;
    }
  }

  public void put(ColumnFamily cf, byte[] key, byte[] value) {
    try {
      batch.put(backend.handle(cf), key, value);
    } catch (RocksDBException e) {
      throw new StorageException("write to " + cf.cfName() + " failed: " + e.getMessage(), e);
    }
  }

  public void delete(ColumnFamily cf, byte[] key) {
    try {
      batch.delete(backend.handle(cf), key);
    } catch (RocksDBException e) {
      throw new StorageException("delete in " + cf.cfName() + " failed: " + e.getMessage(), e);
    }
  }

  /** Marks a point that {@link #rollbackToSavePoint()} returns to. */
  public void setSavePoint() {
    batch.setSavePoint();
  }

  /** Discards the writes since the last save point and removes that save point. */
  public void rollbackToSavePoint() {
    try {
      batch.rollbackToSavePoint();
    } catch (RocksDBException e) {
      throw new StorageException("rollback failed: " + e.getMessage(), e);
    }
  }

  /** Removes the last save point, keeping the writes made since. */
  public void releaseSavePoint() {
    try {
      batch.popSavePoint();
    } catch (RocksDBException e) {
      throw new StorageException("releasing a save point failed: " + e.getMessage(), e);
    }
  }

  /** Number of writes and deletes buffered so far. */
  public int size() {
    return batch.count();
  }

  /** Writes every buffered change atomically. */
  public void commit() {
    try {
      backend.db().write(backend.writeOptions(), batch);
    } catch (RocksDBException e) {
      throw new StorageException("commit failed: " + e.getMessage(), e);
    }
  }

  /** Discards uncommitted changes and releases the transaction. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    batch.close();
    readOptions.close();
    backend.releaseShared();
  }
}
