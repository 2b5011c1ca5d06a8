package io.coord.client.lock;

import java.time.Instant;

/**
 * One current grant of a lock.
 *
 * @param session the holding session
 * @param token the grant's fencing token
 * @param mode READ or WRITE
 * @param heldSince leader wall-clock time of the grant
 * @param revision the store revision that made the grant
 */
public record LockHolder(long session, long token, LockMode mode, Instant heldSince,
    long revision) {
  static LockHolder of(io.coord.proto.v1.LockHolder h) {
    return new LockHolder(h.getSession(), h.getToken(), LockMode.valueOf(h.getMode().name()),
        Instant.ofEpochMilli(h.getHeldSinceMs()), h.getRevision());
  }
}
