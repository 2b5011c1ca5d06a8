package io.coord.chaos.nemesis;

import java.util.Random;

/**
 * Takes a nemesis's variants in turn, from a random first one, so that a short run still
 * exercises each of them (a random pick per injection would often miss one).
 */
final class Variants {
  private final int count;
  private int next = -1;

  Variants(int count) {
    this.count = count;
  }

  /** The next variant, in {@code [0, count)}. */
  synchronized int next(Random random) {
    if (next < 0) {
      next = random.nextInt(count);
    }
    int variant = next;
    next = (next + 1) % count;
    return variant;
  }
}
