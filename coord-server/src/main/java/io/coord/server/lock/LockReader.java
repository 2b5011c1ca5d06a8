package io.coord.server.lock;

import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.proto.v1.LockBreak;
import io.coord.proto.v1.LockHolder;
import io.coord.proto.v1.LockInfo;
import io.coord.proto.v1.LockWaiter;
import io.coord.server.command.LockEntry;
import io.coord.server.command.LockState;
import io.coord.server.storage.Bytes;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.Reader;
import io.coord.server.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reads the lock state (in apply and for queries) and turns it into the public messages. */
public final class LockReader {
  private LockReader() {}

  /** The state of {@code name}, if anyone holds or waits for it. */
  public static Optional<LockState> state(Reader reader, LockSpace space, String name) {
    byte[] stored = reader.get(ColumnFamily.LOCKS, space.stateKey(name));
    return stored == null ? Optional.empty() : Optional.of(parse(stored));
  }

  /** A named state. */
  public record Named(String name, LockState state) {}

  /** Every lock of {@code space} whose name starts with {@code prefix}, by name. */
  public static List<Named> list(Reader reader, LockSpace space, String prefix) {
    byte[] lower = space.prefix(prefix.getBytes(StandardCharsets.UTF_8));
    List<Named> found = new ArrayList<>();
    try (Cursor cursor = reader.scan(ColumnFamily.LOCKS, lower, Bytes.prefixEnd(lower))) {
      for (; cursor.valid(); cursor.next()) {
        found.add(new Named(space.name(cursor.key()), parse(cursor.value())));
      }
    }
    return found;
  }

  /** The last break of {@code name}, if it was ever broken. */
  public static Optional<LockBreak> lastBreak(Reader reader, LockSpace space, String name) {
    byte[] stored = reader.get(ColumnFamily.LOCK_BREAKS, space.stateKey(name));
    if (stored == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(LockBreak.parseFrom(stored));
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("corrupt lock break record of " + name, e);
    }
  }

  /** Held locks and waiters of {@code space}: for the metrics. */
  public static long[] census(Reader reader, LockSpace space) {
    long held = 0;
    long waiters = 0;
    byte[] lower = {space.tag()};
    try (Cursor cursor = reader.scan(ColumnFamily.LOCKS, lower, Bytes.prefixEnd(lower))) {
      for (; cursor.valid(); cursor.next()) {
        LockState state = parse(cursor.value());
        held += state.getHoldersCount() > 0 ? 1 : 0;
        waiters += state.getWaitersCount();
      }
    }
    return new long[] {held, waiters};
  }

  /** The public view of a lock; with {@code withWaiters}, its queue in grant order. */
  public static LockInfo info(String name, LockState state, boolean withWaiters) {
    LockInfo.Builder info = LockInfo.newBuilder()
        .setName(name)
        .setKind(state.getKind())
        .setPermits(state.getPermits())
        .setWaiterCount(state.getWaitersCount());
    state.getHoldersList().forEach(h -> info.addHolders(holder(h)));
    if (withWaiters) {
      for (LockEntry w : state.getWaitersList()) {
        info.addWaiters(LockWaiter.newBuilder().setSession(w.getSession()).setMode(w.getMode())
            .setWaitingSinceMs(w.getEnqueuedMs()));
      }
    }
    return info.build();
  }

  public static LockHolder holder(LockEntry entry) {
    return LockHolder.newBuilder()
        .setSession(entry.getSession())
        .setToken(entry.getToken())
        .setMode(entry.getMode())
        .setHeldSinceMs(entry.getSinceMs())
        .setRevision(entry.getRevision())
        .build();
  }

  /** The entry (holder or waiter) with {@code waiterId}, if any. */
  public static Optional<LockEntry> entry(LockState state, long waiterId) {
    for (LockEntry holder : state.getHoldersList()) {
      if (holder.getWaiterId() == waiterId) {
        return Optional.of(holder);
      }
    }
    for (LockEntry waiter : state.getWaitersList()) {
      if (waiter.getWaiterId() == waiterId) {
        return Optional.of(waiter);
      }
    }
    return Optional.empty();
  }

  static LockState parse(byte[] stored) {
    try {
      return LockState.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("corrupt lock state", e);
    }
  }
}
