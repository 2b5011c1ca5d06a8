package io.coord.chaos.check;

import java.util.SplittableRandom;

/**
 * The configurations a linearizability search has explored, each stored as a 128-bit
 * fingerprint: 16 bytes whatever the number of operations, so millions fit in a small heap.
 * The fingerprint of a set of linearized operations is the XOR of per-operation random keys
 * (Zobrist hashing: updated in constant time as operations are linearized and undone),
 * mixed with the register value.
 *
 * <p>Two different configurations collide with probability about 2<sup>-128</sup> per pair. A
 * collision can only make the search skip an unexplored configuration and so wrongly fail,
 * never wrongly pass: a pass is a linearization every step of which the model checked.
 */
final class ConfigurationSet {
  private static final long SEED = 0x5DEECE66DL;
  private static final double MAX_LOAD = 0.6;

  private final long[] keyHigh;
  private final long[] keyLow;
  private long[] high;
  private long[] low;
  private int size;

  /** A set for configurations of {@code operations} operations. */
  ConfigurationSet(int operations) {
    SplittableRandom random = new SplittableRandom(SEED);
    keyHigh = new long[operations];
    keyLow = new long[operations];
    for (int i = 0; i < operations; i++) {
      keyHigh[i] = random.nextLong();
      keyLow[i] = random.nextLong();
    }
    high = new long[1 << 10];
    low = new long[1 << 10];
  }

  /** The high half of the fingerprint change of linearizing or undoing operation {@code op}. */
  long keyHigh(int op) {
    return keyHigh[op];
  }

  /** The low half of the fingerprint change of linearizing or undoing operation {@code op}. */
  long keyLow(int op) {
    return keyLow[op];
  }

  /**
   * Adds the configuration whose linearized set has fingerprint ({@code setHigh},
   * {@code setLow}) and whose register holds {@code state}; false if it was already there.
   */
  boolean add(long setHigh, long setLow, int state) {
    long h = setHigh ^ mix(state * 0x9E3779B97F4A7C15L + 1);
    long l = setLow ^ mix(state * 0xC2B2AE3D27D4EB4FL + 2);
    if (h == 0 && l == 0) {
      l = 1;
    }
    int mask = high.length - 1;
    int i = (int) mix(h ^ l) & mask;
    while (high[i] != 0 || low[i] != 0) {
      if (high[i] == h && low[i] == l) {
        return false;
      }
      i = (i + 1) & mask;
    }
    high[i] = h;
    low[i] = l;
    if (++size > high.length * MAX_LOAD) {
      grow();
    }
    return true;
  }

  /** Number of configurations stored. */
  int size() {
    return size;
  }

  private void grow() {
    long[] oldHigh = high;
    long[] oldLow = low;
    high = new long[oldHigh.length * 2];
    low = new long[oldLow.length * 2];
    int mask = high.length - 1;
    for (int j = 0; j < oldHigh.length; j++) {
      if (oldHigh[j] != 0 || oldLow[j] != 0) {
        int i = (int) mix(oldHigh[j] ^ oldLow[j]) & mask;
        while (high[i] != 0 || low[i] != 0) {
          i = (i + 1) & mask;
        }
        high[i] = oldHigh[j];
        low[i] = oldLow[j];
      }
    }
  }

  /** A 64-bit finalizer (MurmurHash3's) spreading every input bit over the output. */
  private static long mix(long x) {
    x ^= x >>> 33;
    x *= 0xFF51AFD7ED558CCDL;
    x ^= x >>> 33;
    x *= 0xC4CEB9FE1A85EC53L;
    x ^= x >>> 33;
    return x;
  }
}
