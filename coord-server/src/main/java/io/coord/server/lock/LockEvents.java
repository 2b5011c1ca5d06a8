package io.coord.server.lock;

import io.coord.server.command.LockEntry;

/**
 * Told after commit, on the apply thread of every member, what became of waiters, so calls
 * waiting on this member can answer. Must not block.
 */
public interface LockEvents {
  /** Waiter {@code waiterId} holds the lock now. */
  void granted(LockSpace space, long waiterId, LockEntry grant);

  /** Waiter {@code waiterId} no longer waits nor holds (withdrawn, released, session ended). */
  void ended(LockSpace space, long waiterId);

  LockEvents NONE = new LockEvents() {
    @Override
    public void granted(LockSpace space, long waiterId, LockEntry grant) {}

    @Override
    public void ended(LockSpace space, long waiterId) {}
  };
}
