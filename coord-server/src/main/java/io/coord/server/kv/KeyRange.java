package io.coord.server.kv;

import java.util.Arrays;

/**
 * A range of raw keys with etcd's rules: an empty {@code rangeEnd} means the single key,
 * {@code rangeEnd = "\0"} means every key from {@code key} on.
 *
 * @param lower first key, inclusive
 * @param upper end, exclusive; null means unbounded
 */
public record KeyRange(byte[] lower, byte[] upper) {

  public static KeyRange of(byte[] key, byte[] rangeEnd) {
    if (rangeEnd.length == 0) {
      return new KeyRange(key, successor(key));
    }
    if (rangeEnd.length == 1 && rangeEnd[0] == 0) {
      return new KeyRange(key, null);
    }
    return new KeyRange(key, rangeEnd);
  }

  /** The smallest key after {@code key}: {@code key + 0x00}. */
  public static byte[] successor(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  public boolean isEmpty() {
    return upper != null && Arrays.compareUnsigned(lower, upper) >= 0;
  }

  public boolean contains(byte[] key) {
    return Arrays.compareUnsigned(key, lower) >= 0
        && (upper == null || Arrays.compareUnsigned(key, upper) < 0);
  }

  /** True if the two ranges share at least one key. */
  public boolean overlaps(KeyRange other) {
    boolean thisStartsBeforeOtherEnds =
        other.upper == null || Arrays.compareUnsigned(lower, other.upper) < 0;
    boolean otherStartsBeforeThisEnds =
        upper == null || Arrays.compareUnsigned(other.lower, upper) < 0;
    return thisStartsBeforeOtherEnds && otherStartsBeforeThisEnds;
  }
}
