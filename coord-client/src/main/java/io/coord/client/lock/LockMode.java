package io.coord.client.lock;

/** How a read-write lock is held; mutexes and semaphore permits are held as WRITE. */
public enum LockMode {
  WRITE,
  READ
}
