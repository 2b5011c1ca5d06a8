package io.coord.server.storage;

/** Read access to one consistent state of the store. */
public interface Reader {
  /** Returns the value of {@code key}, or null. */
  byte[] get(ColumnFamily cf, byte[] key);

  /**
   * Iterates keys in {@code [lower, upper)} in ascending order; a null bound is open.
   */
  Cursor scan(ColumnFamily cf, byte[] lower, byte[] upper);

  /**
   * Iterates keys in {@code [lower, upper)} in descending order; a null bound is open.
   */
  Cursor scanReverse(ColumnFamily cf, byte[] lower, byte[] upper);
}
