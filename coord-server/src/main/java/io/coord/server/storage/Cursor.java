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

  @Override
  void close();
}
