package io.coord.server.storage;

import org.rocksdb.ReadOptions;
import org.rocksdb.Slice;
import org.rocksdb.Snapshot;

/**
 * The read options of one cursor, with its range as RocksDB iteration bounds. Without them an
 * iterator that runs out of live keys in its range keeps stepping over the tombstones beyond
 * it (deleted history, dedupe results, session ends) until it finds a live key, which costs
 * milliseconds per step after a burst of deletes until compaction drops them. Close after the
 * iterator that uses it.
 */
final class IterationBounds implements AutoCloseable {
  private final ReadOptions options;
  private final Slice lower;
  private final Slice upper;

  IterationBounds(Snapshot snapshot, byte[] lower, byte[] upper) {
    this.options = new ReadOptions();
    this.lower = lower == null ? null : new Slice(lower);
    this.upper = upper == null ? null : new Slice(upper);
    if (snapshot != null) {
      options.setSnapshot(snapshot);
    }
    if (this.lower != null) {
      options.setIterateLowerBound(this.lower);
    }
    if (this.upper != null) {
      options.setIterateUpperBound(this.upper);
    }
  }

  ReadOptions options() {
    return options;
  }

  @Override
  public void close() {
    options.close();
    if (lower != null) {
      lower.close();
    }
    if (upper != null) {
      upper.close();
    }
  }
}
