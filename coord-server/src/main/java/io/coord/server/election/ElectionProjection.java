package io.coord.server.election;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.Leadership;
import io.coord.server.command.LockEntry;
import io.coord.server.command.LockState;
import io.coord.server.lock.Projection;

/**
 * An election's reserved key holds the current {@link Leadership}, and only that: campaigners
 * joining or leaving the queue do not touch it, so each write of the key is a change of leader
 * or of the leader's value, and its deletion is the election being left without a leader.
 * Observers watching the key therefore get each transition exactly once.
 */
public final class ElectionProjection implements Projection {
  @Override
  public ByteString value(String name, LockState state) {
    return state.getHoldersCount() == 0 ? null
        : leadership(name, state.getHolders(0)).toByteString();
  }

  /** The public view of the holder of an election. */
  public static Leadership leadership(String name, LockEntry holder) {
    return Leadership.newBuilder()
        .setName(name)
        .setValue(holder.getValue())
        .setTerm(holder.getToken())
        .setSession(holder.getSession())
        .setSinceMs(holder.getSinceMs())
        .setRevision(holder.getRevision())
        .build();
  }
}
