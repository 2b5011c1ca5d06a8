package io.coord.server.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.FlushOptions;
import org.rocksdb.InfoLogLevel;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * The RocksDB state store of one member: opens every {@link ColumnFamily}, hands out
 * {@link WriteTxn}s to the apply thread and {@link ReadView}s to readers, takes checkpoints.
 *
 * <p>Readers and writers hold a shared lock while they use native handles; {@link #close()}
 * takes it exclusively, so no handle is touched after the database is closed (that would crash
 * the JVM rather than throw).
 */
public final class Backend implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  private static final String DEFAULT_CF = "default";

  private final Path dir;
  private final RocksDB db;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;
  private final LRUCache blockCache;
  private final BloomFilter bloomFilter;
  private final WriteOptions writeOptions;
  private final ColumnFamilyHandle defaultHandle;
  private final Map<ColumnFamily, ColumnFamilyHandle> handles = new EnumMap<>(ColumnFamily.class);
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private boolean closed;

  private Backend(Path dir) throws RocksDBException {
    this.dir = dir;
    blockCache = new LRUCache(32L << 20);
    bloomFilter = new BloomFilter(10);
    BlockBasedTableConfig table = new BlockBasedTableConfig()
        .setBlockCache(blockCache)
        .setFilterPolicy(bloomFilter)
        // Index and filter blocks stay with their table files, outside the block cache: in it,
        // data blocks evicted them, and every point read of the apply thread then copied a
        // whole filter block of a large table back in (two thirds of its time after a minute
        // of writes). They take ~1-2 % of the data's size.
        .setCacheIndexAndFilterBlocks(false)
        .setBlockSize(8 << 10);
    cfOptions = new ColumnFamilyOptions()
        .setTableFormatConfig(table)
        .setCompressionType(CompressionType.LZ4_COMPRESSION)
        .setLevelCompactionDynamicLevelBytes(true)
        .setWriteBufferSize(16L << 20);
    dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true)
        .setMaxBackgroundJobs(2)
        .setKeepLogFileNum(3)
        .setInfoLogLevel(InfoLogLevel.WARN_LEVEL);
    // The Raft log is the durable record; the RocksDB WAL only spares a replay after a crash.
    writeOptions = new WriteOptions().setSync(false);

    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(DEFAULT_CF.getBytes(), cfOptions));
    for (ColumnFamily cf : ColumnFamily.values()) {
      descriptors.add(new ColumnFamilyDescriptor(cf.nameBytes(), cfOptions));
    }
    List<ColumnFamilyHandle> opened = new ArrayList<>();
    db = RocksDB.open(dbOptions, dir.toString(), descriptors, opened);
    defaultHandle = opened.get(0);
    ColumnFamily[] all = ColumnFamily.values();
    for (int i = 0; i < all.length; i++) {
      handles.put(all[i], opened.get(i + 1));
    }
  }

  /** Opens (creating if needed) the store in {@code dir}. */
  public static Backend open(Path dir) {
    try {
      Files.createDirectories(dir);
      return new Backend(dir);
    } catch (Exception e) {
      throw new StorageException("cannot open the state store in " + dir + ": " + e.getMessage(), e);
    }
  }

  public Path dir() {
    return dir;
  }

  /** Starts the write transaction of one applied log entry. Only the apply thread writes. */
  public WriteTxn beginWrite() {
    acquireShared();
    try {
      return new WriteTxn(this);
    } catch (RuntimeException e) {
      lock.readLock().unlock();
      throw e;
    }
  }

  /** Opens a consistent read-only view of the committed state. Close it promptly. */
  public ReadView readView() {
    acquireShared();
    try {
      return new ReadView(this);
    } catch (RuntimeException e) {
      lock.readLock().unlock();
      throw e;
    }
  }

  private void acquireShared() {
    lock.readLock().lock();
    if (closed) {
      lock.readLock().unlock();
      throw new StoreClosedException();
    }
  }

  void releaseShared() {
    lock.readLock().unlock();
  }

  RocksDB db() {
    return db;
  }

  ColumnFamilyHandle handle(ColumnFamily cf) {
    return handles.get(cf);
  }

  WriteOptions writeOptions() {
    return writeOptions;
  }

  /**
   * Writes a consistent copy of the store to {@code target} (which must not exist), hard
   * linking table files. Memtables are flushed first, so the copy needs no WAL replay.
   */
  public void checkpoint(Path target) {
    acquireShared();
    try (Checkpoint checkpoint = Checkpoint.create(db)) {
      checkpoint.createCheckpoint(target.toString());
    } catch (RocksDBException e) {
      throw new StorageException("checkpoint to " + target + " failed: " + e.getMessage(), e);
    } finally {
      releaseShared();
    }
  }

  /** Flushes memtables of every column family to table files. */
  public void flush() {
    acquireShared();
    try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
      db.flush(options, new ArrayList<>(handles.values()));
    } catch (RocksDBException e) {
      throw new StorageException("flush failed: " + e.getMessage(), e);
    } finally {
      releaseShared();
    }
  }

  /** Returns the approximate size of the live data (table files and memtables), in bytes. */
  public long sizeBytes() {
    acquireShared();
    try {
      long total = 0;
      for (ColumnFamilyHandle handle : handles.values()) {
        total += db.getLongProperty(handle, "rocksdb.live-sst-files-size");
        total += db.getLongProperty(handle, "rocksdb.cur-size-all-mem-tables");
      }
      return total;
    } catch (RocksDBException e) {
      throw new StorageException("cannot read the store size: " + e.getMessage(), e);
    } finally {
      releaseShared();
    }
  }

  /**
   * Returns a SHA-256 over every column family's content in key order, leaving out the keys
   * listed in {@code excludedMetaKeys}. Two replicas that applied the same commands hash equal.
   */
  public String hash(ReadView view, List<byte[]> excludedMetaKeys) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    for (ColumnFamily cf : ColumnFamily.values()) {
      digest.update(cf.nameBytes());
      try (Cursor cursor = view.scan(cf, null, null)) {
        for (; cursor.valid(); cursor.next()) {
          byte[] key = cursor.key();
          if (cf == ColumnFamily.META && excludedMetaKeys.stream()
              .anyMatch(excluded -> java.util.Arrays.equals(excluded, key))) {
            continue;
          }
          digest.update(intBytes(key.length));
          digest.update(key);
          byte[] value = cursor.value();
          digest.update(intBytes(value.length));
          digest.update(value);
        }
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static byte[] intBytes(int value) {
    return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8),
        (byte) value};
  }

  /** Waits for readers and the writer to finish, then releases every native handle. */
  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      for (ColumnFamilyHandle handle : handles.values()) {
        handle.close();
      }
      defaultHandle.close();
      try {
        db.closeE();
      } catch (RocksDBException e) {
        throw new StorageException("closing the state store failed: " + e.getMessage(), e);
      } finally {
        writeOptions.close();
        dbOptions.close();
        cfOptions.close();
        bloomFilter.close();
        blockCache.close();
      }
    } finally {
      lock.writeLock().unlock();
    }
  }
}
