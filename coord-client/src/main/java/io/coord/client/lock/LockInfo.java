package io.coord.client.lock;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A lock as the server sees it.
 *
 * @param name its name
 * @param kind mutex, semaphore or read-write lock
 * @param permits a semaphore's permits; 0 otherwise
 * @param holders the current grants, oldest first
 * @param waiters the waiters in grant order (from inspect; empty from list)
 * @param waiterCount how many wait
 * @param lastBreak the last time an operator broke it, if ever (from inspect)
 */
public record LockInfo(String name, LockKind kind, int permits, List<LockHolder> holders,
    List<LockWaiter> waiters, long waiterCount, Optional<Break> lastBreak) {

  /**
   * An operator's break.
   *
   * @param reason why, as given
   * @param at leader wall-clock time of the break
   * @param revision the revision of the break
   * @param released the grants it released
   */
  public record Break(String reason, Instant at, long revision, List<LockHolder> released) {}

  /** True if anyone holds the lock. */
  public boolean isHeld() {
    return !holders.isEmpty();
  }

  static LockInfo of(io.coord.proto.v1.LockInfo info, io.coord.proto.v1.LockBreak broken) {
    return new LockInfo(info.getName(), LockKind.valueOf(info.getKind().name()),
        info.getPermits(), info.getHoldersList().stream().map(LockHolder::of).toList(),
        info.getWaitersList().stream().map(LockWaiter::of).toList(), info.getWaiterCount(),
        Optional.ofNullable(broken).map(LockInfo::breakOf));
  }

  static LockInfo free(String name, io.coord.proto.v1.LockBreak broken) {
    return new LockInfo(name, LockKind.MUTEX, 0, List.of(), List.of(), 0,
        Optional.of(breakOf(broken)));
  }

  private static Break breakOf(io.coord.proto.v1.LockBreak b) {
    return new Break(b.getReason(), Instant.ofEpochMilli(b.getAtMs()), b.getRevision(),
        b.getReleasedList().stream().map(LockHolder::of).toList());
  }
}
