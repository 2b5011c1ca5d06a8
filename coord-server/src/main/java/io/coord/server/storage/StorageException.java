package io.coord.server.storage;

/** An I/O failure of the state store. The state may be unusable; callers stop the member. */
public final class StorageException extends RuntimeException {
  public StorageException(String message, Throwable cause) {
    super(message, cause);
  }

  public StorageException(String message) {
    super(message);
  }
}
