package io.coord.server.lock;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.LockBreak;
import io.coord.proto.v1.LockBreakResponse;
import io.coord.proto.v1.LockKind;
import io.coord.proto.v1.SessionEndReason;
import io.coord.server.command.AcquireLock;
import io.coord.server.command.AcquireResult;
import io.coord.server.command.LockEntry;
import io.coord.server.command.LockState;
import io.coord.server.command.ReleaseLock;
import io.coord.server.command.ReleaseResult;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KvWriter;
import io.coord.server.session.SessionEndListener;
import io.coord.server.session.SessionReader;
import io.coord.server.session.SessionStore;
import io.coord.server.statemachine.ApplyContext;
import io.coord.server.storage.Bytes;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.WriteTxn;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated locks of one {@link LockSpace}: holders and FIFO waiters per name, each owned
 * by a session, with fencing tokens. Apply-side only: deterministic, reads no clock (times come
 * from the leader's stamp). Every change writes the lock's {@link Projection} to its reserved
 * key in the same revision, and tells the {@link LockEvents} after commit.
 *
 * <p>Tokens and waiter ids come from two counters shared by every space, so a token is unique
 * and strictly increasing over all grants of the cluster, even when one revision makes several
 * grants (a batch of readers, the permits of a broken semaphore).
 */
public final class LockTable implements SessionEndListener {
  private static final Logger LOG = LoggerFactory.getLogger(LockTable.class);
  private static final byte[] NEXT_WAITER = "lock/next_waiter".getBytes(StandardCharsets.UTF_8);
  private static final byte[] NEXT_TOKEN = "lock/next_token".getBytes(StandardCharsets.UTF_8);

  private final LockSpace space;
  private final Projection projection;
  private volatile LockEvents events = LockEvents.NONE;

  public LockTable(LockSpace space, Projection projection) {
    this.space = space;
    this.projection = projection;
  }

  public LockSpace space() {
    return space;
  }

  /** Where waiters' fates are told after commit (this member's waiting calls). */
  public void setEvents(LockEvents events) {
    this.events = events;
  }

  /** Grants the lock, queues the request, or (no_wait) refuses it. */
  public AcquireResult acquire(ApplyContext context, AcquireLock request) {
    WriteTxn txn = context.txn();
    long session = request.getSession();
    if (SessionReader.live(txn, session).isEmpty()) {
      throw SessionStore.notFound(txn, session);
    }
    String name = request.getName();
    Optional<LockState> existing = LockReader.state(txn, space, name);
    AcquireResult.Builder result = AcquireResult.newBuilder().setIndex(context.index());
    if (existing.isPresent()) {
      LockState state = existing.get();
      checkMatches(name, state, request);
      Optional<LockEntry> held = find(state.getHoldersList(), session);
      if (held.isPresent()) {
        checkMode(name, held.get(), request, "holds");
        return result.setOutcome(AcquireResult.Outcome.GRANTED).setEntry(held.get())
            .setReentrant(true).build();
      }
      Optional<LockEntry> queued = find(state.getWaitersList(), session);
      if (queued.isPresent()) {
        checkMode(name, queued.get(), request, "waits for");
        return result.setOutcome(AcquireResult.Outcome.QUEUED).setEntry(queued.get()).build();
      }
      if (request.getNoWait() && !(state.getWaitersCount() == 0
          && LockRules.compatible(state, request.getMode()))) {
        return result.setOutcome(AcquireResult.Outcome.BUSY)
            .setCurrent(LockReader.info(name, state, false)).build();
      }
    }
    LockState initial = existing.orElseGet(() -> LockState.newBuilder()
        .setKind(request.getKind()).setPermits(request.getPermits()).build());
    KvWriter writer = context.newKvWriter();
    Change change = new Change(context, writer, name, initial);
    LockEntry.Builder entry = LockEntry.newBuilder()
        .setWaiterId(nextCounter(txn, NEXT_WAITER))
        .setSession(session)
        .setMode(request.getMode())
        .setValue(request.getValue())
        .setEnqueuedMs(context.leaderTimeMs());
    txn.put(ColumnFamily.LOCK_OWNERS, ownerKey(session, entry.getWaiterId()),
        name.getBytes(StandardCharsets.UTF_8));
    LockEntry outcome;
    if (initial.getWaitersCount() == 0 && LockRules.compatible(initial, request.getMode())) {
      outcome = change.grant(entry);
      result.setOutcome(AcquireResult.Outcome.GRANTED);
    } else {
      outcome = entry.build();
      change.state.addWaiters(outcome);
      result.setOutcome(AcquireResult.Outcome.QUEUED);
    }
    change.save();
    writer.finish();
    return result.setEntry(outcome).build();
  }

  /**
   * Releases a grant (by token), or everything a session has on a lock, or withdraws one
   * waiter that still waits (by waiter id: a grant it got first is kept and returned).
   */
  public ReleaseResult release(ApplyContext context, ReleaseLock request) {
    Optional<LockState> existing = LockReader.state(context.txn(), space, request.getName());
    if (existing.isEmpty()) {
      return ReleaseResult.getDefaultInstance();
    }
    Predicate<LockEntry> selected = switch (request.getSelectorCase()) {
      case TOKEN -> e -> e.getToken() == request.getToken();
      case SESSION -> e -> e.getSession() == request.getSession();
      case WAITER_ID -> e -> e.getWaiterId() == request.getWaiterId();
      case SELECTOR_NOT_SET -> throw CoordError.invalidField("release.selector", "required");
    };
    ReleaseResult.Builder result = ReleaseResult.newBuilder();
    if (request.getSelectorCase() == ReleaseLock.SelectorCase.WAITER_ID) {
      existing.get().getHoldersList().stream().filter(selected).findFirst()
          .ifPresent(result::setHolder);
      LockEntry entry = LockReader.entry(existing.get(), request.getWaiterId()).orElse(null);
      result.setSessionAlive(entry != null
          && SessionReader.live(context.txn(), entry.getSession()).isPresent());
    }
    KvWriter writer = context.newKvWriter();
    Change change = new Change(context, writer, request.getName(), existing.get());
    boolean released = request.getSelectorCase() != ReleaseLock.SelectorCase.WAITER_ID
        && !change.removeHolders(selected).isEmpty();
    boolean withdrawn = request.getSelectorCase() != ReleaseLock.SelectorCase.TOKEN
        && change.removeWaiters(selected);
    if (released || withdrawn) {
      change.promote();
      change.save();
    }
    writer.finish();
    return result.setReleased(released).setWithdrawn(withdrawn).build();
  }

  /** Releases every grant of a lock, for an operator, and records why. */
  public LockBreakResponse breakLock(ApplyContext context, String name, String reason) {
    Optional<LockState> existing = LockReader.state(context.txn(), space, name);
    LockBreakResponse.Builder response = LockBreakResponse.newBuilder();
    if (existing.isEmpty() || existing.get().getHoldersCount() == 0) {
      return response.build();
    }
    KvWriter writer = context.newKvWriter();
    Change change = new Change(context, writer, name, existing.get());
    List<LockEntry> released = change.removeHolders(e -> true);
    change.promote();
    change.save();
    LockBreak record = LockBreak.newBuilder()
        .setReason(reason)
        .setAtMs(context.leaderTimeMs())
        .setRevision(writer.revision())
        .addAllReleased(released.stream().map(LockReader::holder).toList())
        .build();
    context.txn().put(ColumnFamily.LOCK_BREAKS, space.stateKey(name), record.toByteArray());
    writer.finish();
    context.afterCommit(() -> LOG.warn("{} \"{}\" broken at revision {}: {} (released tokens {})",
        space == LockSpace.LOCK ? "lock" : "election", name, record.getRevision(), reason,
        released.stream().map(LockEntry::getToken).toList()));
    return response.addAllReleased(record.getReleasedList()).build();
  }

  /**
   * Replaces the value the holder with {@code token} publishes (elections).
   *
   * @return the holder as it is now
   * @throws CoordError NOT_ELECTION_LEADER if no current holder has that token
   */
  public LockEntry publish(ApplyContext context, String name, long token, ByteString value) {
    Optional<LockState> existing = LockReader.state(context.txn(), space, name);
    LockEntry holder = existing.flatMap(s -> s.getHoldersList().stream()
        .filter(h -> h.getToken() == token).findFirst()).orElse(null);
    if (holder == null) {
      long current = existing.map(s -> s.getHoldersCount() == 0 ? 0L
          : s.getHolders(0).getToken()).orElse(0L);
      throw new CoordError(ErrorReason.NOT_ELECTION_LEADER, "term " + token + " of election \""
          + name + "\" is not the current leader's"
          + (current == 0 ? " (there is no leader)" : " (the leader's term is " + current + ")"),
          Map.of("election", name, "term", Long.toString(token),
              "leader_term", Long.toString(current)));
    }
    KvWriter writer = context.newKvWriter();
    Change change = new Change(context, writer, name, existing.get());
    LockEntry updated = holder.toBuilder().setValue(value).build();
    for (int i = 0; i < change.state.getHoldersCount(); i++) {
      if (change.state.getHolders(i).getToken() == token) {
        change.state.setHolders(i, updated);
      }
    }
    change.save();
    writer.finish();
    return updated;
  }

  /** Releases the session's grants and withdraws its waits, in the revision of its end. */
  @Override
  public void onSessionEnd(ApplyContext context, KvWriter writer, long sessionId,
      SessionEndReason reason) {
    WriteTxn txn = context.txn();
    byte[] prefix = Bytes.concat(Bytes.longBytes(sessionId), new byte[] {space.tag()});
    Map<String, Boolean> names = new LinkedHashMap<>();
    try (Cursor cursor = txn.scan(ColumnFamily.LOCK_OWNERS, prefix, Bytes.prefixEnd(prefix))) {
      for (; cursor.valid(); cursor.next()) {
        names.put(new String(cursor.value(), StandardCharsets.UTF_8), true);
      }
    }
    for (String name : names.keySet()) {
      Optional<LockState> existing = LockReader.state(txn, space, name);
      if (existing.isEmpty()) {
        throw new IllegalStateException("session " + sessionId + " owns an entry of \"" + name
            + "\", which does not exist");
      }
      Change change = new Change(context, writer, name, existing.get());
      change.removeHolders(e -> e.getSession() == sessionId);
      change.removeWaiters(e -> e.getSession() == sessionId);
      change.promote();
      change.save();
    }
  }

  private void checkMatches(String name, LockState state, AcquireLock request) {
    if (state.getKind() != request.getKind()
        || state.getKind() == LockKind.SEMAPHORE && state.getPermits() != request.getPermits()) {
      throw new CoordError(ErrorReason.LOCK_MISMATCH, "\"" + name + "\" is a "
          + describe(state.getKind(), state.getPermits()) + ", not a "
          + describe(request.getKind(), request.getPermits())
          + ": its kind and permits are fixed while anyone holds or waits for it",
          Map.of("lock", name, "kind", state.getKind().name(),
              "permits", Integer.toString(state.getPermits())));
    }
  }

  private static void checkMode(String name, LockEntry entry, AcquireLock request, String verb) {
    if (entry.getMode() != request.getMode()) {
      throw new CoordError(ErrorReason.LOCK_MISMATCH, "session " + entry.getSession() + " "
          + verb + " \"" + name + "\" for " + entry.getMode() + ": release it before asking for "
          + request.getMode(), Map.of("lock", name, "kind", LockKind.READ_WRITE.name(),
              "permits", "0"));
    }
  }

  private static String describe(LockKind kind, int permits) {
    return switch (kind) {
      case MUTEX -> "mutex";
      case SEMAPHORE -> "semaphore of " + permits + " permits";
      case READ_WRITE -> "read-write lock";
      case UNRECOGNIZED -> "lock of an unknown kind";
    };
  }

  private static Optional<LockEntry> find(List<LockEntry> entries, long session) {
    return entries.stream().filter(e -> e.getSession() == session).findFirst();
  }

  private byte[] ownerKey(long session, long waiterId) {
    byte[] key = new byte[17];
    Bytes.putLong(key, 0, session);
    key[8] = space.tag();
    Bytes.putLong(key, 9, waiterId);
    return key;
  }

  private static long nextCounter(WriteTxn txn, byte[] key) {
    byte[] stored = txn.get(ColumnFamily.META, key);
    long next = stored == null ? 1 : Bytes.toLong(stored);
    txn.put(ColumnFamily.META, key, Bytes.longBytes(next + 1));
    return next;
  }

  /** The changes of one lock within one command: state, index, projection, notifications. */
  private final class Change {
    private final ApplyContext context;
    private final KvWriter writer;
    private final String name;
    private final LockState.Builder state;
    private final List<LockEntry> granted = new ArrayList<>();
    private final List<Long> ended = new ArrayList<>();

    Change(ApplyContext context, KvWriter writer, String name, LockState state) {
      this.context = context;
      this.writer = writer;
      this.name = name;
      this.state = state.toBuilder();
    }

    /** Makes {@code entry} a holder with a fresh token. */
    LockEntry grant(LockEntry.Builder entry) {
      LockEntry holder = entry
          .setToken(nextCounter(context.txn(), NEXT_TOKEN))
          .setSinceMs(context.leaderTimeMs())
          .setRevision(writer.revision())
          .build();
      state.addHolders(holder);
      granted.add(holder);
      return holder;
    }

    /** Grants waiters from the front of the queue for as long as they are compatible. */
    void promote() {
      while (state.getWaitersCount() > 0
          && LockRules.compatible(state, state.getWaiters(0).getMode())) {
        LockEntry next = state.getWaiters(0);
        state.removeWaiters(0);
        if (SessionReader.live(context.txn(), next.getSession()).isEmpty()) {
          // Never happens: a session's end withdraws its waits. Never grant to it anyway.
          forget(next);
          continue;
        }
        grant(next.toBuilder());
      }
    }

    List<LockEntry> removeHolders(Predicate<LockEntry> selected) {
      List<LockEntry> removed = new ArrayList<>();
      for (int i = state.getHoldersCount() - 1; i >= 0; i--) {
        if (selected.test(state.getHolders(i))) {
          removed.add(0, state.getHolders(i));
          forget(state.getHolders(i));
          state.removeHolders(i);
        }
      }
      return removed;
    }

    boolean removeWaiters(Predicate<LockEntry> selected) {
      boolean any = false;
      for (int i = state.getWaitersCount() - 1; i >= 0; i--) {
        if (selected.test(state.getWaiters(i))) {
          forget(state.getWaiters(i));
          state.removeWaiters(i);
          any = true;
        }
      }
      return any;
    }

    private void forget(LockEntry entry) {
      context.txn().delete(ColumnFamily.LOCK_OWNERS,
          ownerKey(entry.getSession(), entry.getWaiterId()));
      ended.add(entry.getWaiterId());
    }

    /** Stores the state (or deletes it), updates the projection, schedules the notifications. */
    void save() {
      WriteTxn txn = context.txn();
      byte[] key = space.stateKey(name);
      LockState after = state.build();
      if (after.getHoldersCount() == 0 && after.getWaitersCount() == 0) {
        txn.delete(ColumnFamily.LOCKS, key);
      } else {
        txn.put(ColumnFamily.LOCKS, key, after.toByteArray());
      }
      byte[] projected = space.projectionKey(name);
      ByteString value = projection.value(name, after);
      KeyValue current = writer.current(projected);
      if (value == null) {
        if (current != null) {
          writer.delete(current);
        }
      } else if (current == null || !current.getValue().equals(value)) {
        writer.put(projected, value, 0, current);
      }
      LockEvents told = events;
      List<LockEntry> grants = List.copyOf(granted);
      List<Long> ends = List.copyOf(ended);
      context.afterCommit(() -> {
        ends.forEach(id -> told.ended(space, id));
        grants.forEach(g -> told.granted(space, g.getWaiterId(), g));
      });
    }
  }
}
