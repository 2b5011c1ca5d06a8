package io.coord.client.lock;

/** What kind of lock a name is; fixed while anyone holds or waits for it. */
public enum LockKind {
  /** One holder at a time. */
  MUTEX,
  /** Up to a fixed number of holders (permits) at a time. */
  SEMAPHORE,
  /** Many readers or one writer; writers are never starved. */
  READ_WRITE
}
