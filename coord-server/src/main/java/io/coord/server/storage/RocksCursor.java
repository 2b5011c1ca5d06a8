package io.coord.server.storage;

import java.util.Arrays;
import org.rocksdb.RocksIterator;

/**
 * A {@link Cursor} over a RocksDB iterator. The iterator was opened with the same range as
 * {@link IterationBounds}; the bounds are checked here as well, because the write-batch side of a
 * transaction's iterator is not bound by them in every RocksDB version.
 */
final class RocksCursor implements Cursor {
  private final RocksIterator iterator;
  private final byte[] lower;
  private final byte[] upper;
  private final boolean reverse;
  private final Runnable onClose;

  RocksCursor(RocksIterator iterator, byte[] lower, byte[] upper, boolean reverse,
      Runnable onClose) {
    this.iterator = iterator;
    this.lower = lower;
    this.upper = upper;
    this.reverse = reverse;
    this.onClose = onClose;
    if (reverse) {
      if (upper == null) {
        iterator.seekToLast();
      } else {
        iterator.seekForPrev(upper);
        if (iterator.isValid() && Arrays.equals(iterator.key(), upper)) {
          iterator.prev();
        }
      }
    } else if (lower == null) {
      iterator.seekToFirst();
    } else {
      iterator.seek(lower);
    }
  }

  @Override
  public boolean valid() {
    if (!iterator.isValid()) {
      return false;
    }
    byte[] key = iterator.key();
    if (lower != null && Arrays.compareUnsigned(key, lower) < 0) {
      return false;
    }
    return upper == null || Arrays.compareUnsigned(key, upper) < 0;
  }

  @Override
  public byte[] key() {
    return iterator.key();
  }

  @Override
  public byte[] value() {
    return iterator.value();
  }

  @Override
  public void next() {
    if (reverse) {
      iterator.prev();
    } else {
      iterator.next();
    }
  }

  @Override
  public void seek(byte[] target) {
    if (reverse) {
      throw new UnsupportedOperationException("seek on a reverse cursor");
    }
    iterator.seek(lower != null && Arrays.compareUnsigned(target, lower) < 0 ? lower : target);
  }

  @Override
  public void close() {
    iterator.close();
    if (onClose != null) {
      onClose.run();
    }
  }
}
