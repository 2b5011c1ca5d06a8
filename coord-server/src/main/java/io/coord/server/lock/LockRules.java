package io.coord.server.lock;

import io.coord.proto.v1.LockMode;
import io.coord.server.command.LockEntry;
import io.coord.server.command.LockStateOrBuilder;

/** When a request may hold a lock next to the current holders. */
final class LockRules {
  private LockRules() {}

  /**
   * True if a request in {@code mode} is compatible with the current holders: a mutex holds
   * one, a semaphore up to its permits, a read-write lock one writer or any number of readers.
   * Whether it may pass the queue is the caller's business (it never may: FIFO).
   */
  static boolean compatible(LockStateOrBuilder state, LockMode mode) {
    return switch (state.getKind()) {
      case MUTEX -> state.getHoldersCount() == 0;
      case SEMAPHORE -> state.getHoldersCount() < state.getPermits();
      case READ_WRITE -> mode == LockMode.READ
          ? state.getHoldersList().stream().allMatch(h -> h.getMode() == LockMode.READ)
          : state.getHoldersCount() == 0;
      case UNRECOGNIZED -> throw new IllegalStateException("unknown lock kind");
    };
  }

  static boolean sameSession(LockEntry entry, long session) {
    return entry.getSession() == session;
  }
}
