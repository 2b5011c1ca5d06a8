package io.coord.client.lock;

import java.time.Instant;

/**
 * A session waiting for a lock.
 *
 * @param session the waiting session
 * @param mode READ or WRITE
 * @param waitingSince leader wall-clock time of its Acquire
 */
public record LockWaiter(long session, LockMode mode, Instant waitingSince) {
  static LockWaiter of(io.coord.proto.v1.LockWaiter w) {
    return new LockWaiter(w.getSession(), LockMode.valueOf(w.getMode().name()),
        Instant.ofEpochMilli(w.getWaitingSinceMs()));
  }
}
