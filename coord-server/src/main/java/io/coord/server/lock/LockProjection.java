package io.coord.server.lock;

import com.google.protobuf.ByteString;
import io.coord.server.command.LockState;

/**
 * A lock's reserved key holds its {@code LockInfo} without the waiter list (holders, tokens,
 * sessions, since when, how many wait); it exists while anyone holds or waits for the lock.
 */
public final class LockProjection implements Projection {
  @Override
  public ByteString value(String name, LockState state) {
    if (state.getHoldersCount() == 0 && state.getWaitersCount() == 0) {
      return null;
    }
    return LockReader.info(name, state, false).toByteString();
  }
}
