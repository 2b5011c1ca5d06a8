package io.coord.server.storage;

/**
 * A forward or reverse iterator over one column family within optional bounds. The key and
 * value arrays returned belong to the caller.
 */
public interface Cursor extends AutoCloseable {
  boolean valid();

  byte[] key();

  byte[] value();

  void next();

  /**
   * Moves a forward cursor to the first key at or after {@code target} (still within the
   * cursor's bounds), so that one cursor serves many lookups.
   */
  void seek(byte[] target);

  @Override
  void close();
}
