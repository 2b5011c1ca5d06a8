package io.coord.client.lock;

/**
 * A read-write lock: many readers or one writer. A writer waits for the readers to leave;
 * readers arriving while a writer waits queue behind it, so writers are never starved. A
 * session cannot switch between reading and writing while it holds or waits (release first):
 * there is no upgrade. Get one from {@link LockClient#readWriteLock}.
 */
public final class ReadWriteLock {
  private final Lock read;
  private final Lock write;

  ReadWriteLock(LockClient client, String name, LockOptions options) {
    this.read = new Lock(client, name, LockKind.READ_WRITE, 0, LockMode.READ, options);
    this.write = new Lock(client, name, LockKind.READ_WRITE, 0, LockMode.WRITE, options);
  }

  /** Shared with other readers. */
  public Lock readLock() {
    return read;
  }

  /** Exclusive. */
  public Lock writeLock() {
    return write;
  }
}
