package io.coord.server.statemachine;

import io.coord.proto.v1.ErrorReason;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.EntryResult;
import io.coord.server.command.LogEntry;
import io.coord.server.command.Rejection;
import io.coord.server.command.RequestId;
import io.coord.server.error.CoordError;
import io.coord.server.kv.Compactor;
import io.coord.server.kv.KvEvent;
import io.coord.server.kv.KvMeta;
import io.coord.server.storage.Backend;
import io.coord.server.storage.Bytes;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.ReadView;
import io.coord.server.storage.StorageException;
import io.coord.server.storage.WriteTxn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * The replicated state machine, free of Raft types: applies log entries to the state store in
 * log order, one atomic write per entry holding the data, the new revision and the applied
 * index. Entries at or below the stored applied index are skipped, so a replay after restart
 * never applies anything twice.
 *
 * <p>Apply is deterministic: it reads no clock, no random source and no configuration; time
 * comes only from the leader's stamp in the entry.
 */
public final class CoordStateMachine implements AutoCloseable {
  private static final byte[] APPLIED = "sm/applied".getBytes(StandardCharsets.UTF_8);
  private static final byte[] LEADER_TIME = "sm/leader_time_ms".getBytes(StandardCharsets.UTF_8);
  /**
   * Compacted events removed per applied entry, at most (about): a base plus a share per
   * command, so that cleanup outpaces ordinary writes while adding little to any one entry.
   * A backlog beyond that is worked off by the leader's {@code CompactionStep} entries.
   */
  static final int COMPACTION_STEP_BASE = 32;
  static final int COMPACTION_STEP_PER_COMMAND = 4;

  private final Path dbDir;
  private final Map<Command.KindCase, CommandHandler> handlers =
      new EnumMap<>(Command.KindCase.class);
  private final DedupeTable dedupe = new DedupeTable();
  private final List<ApplyListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean unsafeSkipDedupe;

  private volatile Backend backend;
  private KvMeta kvMeta;
  private long leaderTimeMs;
  private volatile long appliedTerm;
  private volatile long appliedIndex;
  private volatile long revision;
  private volatile long compactRevision;
  private volatile boolean compactionBehind;
  private final java.util.concurrent.atomic.AtomicLong storesReplaced =
      new java.util.concurrent.atomic.AtomicLong();

  public CoordStateMachine(Path dbDir) {
    this.dbDir = dbDir;
  }

  /** Registers the handler of one command kind. Call before the first apply. */
  public void register(Command.KindCase kind, CommandHandler handler) {
    if (handlers.putIfAbsent(kind, handler) != null) {
      throw new IllegalStateException("two handlers for " + kind);
    }
  }

  /**
   * TEST ONLY, BREAKS EXACTLY-ONCE: apply ignores the dedupe table, so a retried write is
   * applied again. Exists so that the robustness suite can show that its checkers catch the
   * double apply ({@code coord.unsafe.skip-dedupe}). Call before the first apply, on every
   * member alike.
   */
  public void setUnsafeSkipDedupe(boolean skip) {
    this.unsafeSkipDedupe = skip;
  }

  public void addListener(ApplyListener listener) {
    listeners.add(listener);
  }

  /** Opens the store and loads the applied position. */
  public void open() {
    backend = Backend.open(dbDir);
    try (ReadView view = backend.readView()) {
      byte[] applied = view.get(ColumnFamily.META, APPLIED);
      appliedTerm = applied == null ? 0 : Bytes.getLong(applied, 0);
      appliedIndex = applied == null ? -1 : Bytes.getLong(applied, 8);
      byte[] time = view.get(ColumnFamily.META, LEADER_TIME);
      leaderTimeMs = time == null ? 0 : Bytes.toLong(time);
      kvMeta = KvMeta.load(view);
    }
    revision = kvMeta.revision();
    compactRevision = kvMeta.compactRevision();
    compactionBehind = kvMeta.compactCursor() < kvMeta.compactRevision();
  }

  /**
   * Applies one log entry and returns one result per command. Entries at or below the applied
   * index are skipped and return no results.
   */
  public EntryResult apply(long term, long index, LogEntry entry) {
    if (index <= appliedIndex) {
      return EntryResult.getDefaultInstance();
    }
    List<KvEvent> events = new ArrayList<>();
    List<Runnable> afterCommit = new ArrayList<>();
    EntryResult.Builder results = EntryResult.newBuilder();
    dedupe.beginEntry();
    try (WriteTxn txn = backend.beginWrite()) {
      leaderTimeMs = Math.max(leaderTimeMs, entry.getLeaderTimeMs());
      ApplyContext context = new ApplyContext(txn, kvMeta, events, afterCommit, term, index,
          leaderTimeMs);
      for (Command command : entry.getCommandsList()) {
        results.addResults(applyCommand(context, command, events, afterCommit));
      }
      Compactor.step(txn, kvMeta,
          COMPACTION_STEP_BASE + COMPACTION_STEP_PER_COMMAND * entry.getCommandsCount());
      dedupe.flush(txn);
      dedupe.sweep(txn, leaderTimeMs);
      kvMeta.saveIfChanged(txn);
      byte[] applied = new byte[16];
      Bytes.putLong(applied, 0, term);
      Bytes.putLong(applied, 8, index);
      txn.put(ColumnFamily.META, APPLIED, applied);
      txn.put(ColumnFamily.META, LEADER_TIME, Bytes.longBytes(leaderTimeMs));
      txn.commit();
    }
    appliedTerm = term;
    appliedIndex = index;
    revision = kvMeta.revision();
    compactRevision = kvMeta.compactRevision();
    compactionBehind = kvMeta.compactCursor() < kvMeta.compactRevision();
    afterCommit.forEach(Runnable::run);
    for (ApplyListener listener : listeners) {
      listener.onApplied(index, revision, events);
    }
    return results.build();
  }

  private CommandResult applyCommand(ApplyContext context, Command command,
      List<KvEvent> events, List<Runnable> afterCommit) {
    WriteTxn txn = context.txn();
    RequestId id = command.hasRequestId() && command.getRequestId().getClientId() != 0
        && !unsafeSkipDedupe ? command.getRequestId() : null;
    DedupeTable.Lookup lookup = null;
    if (id != null) {
      lookup = dedupe.lookup(txn, id);
      if (lookup.completedBefore()) {
        return rejection(new CoordError(ErrorReason.REQUEST_ALREADY_COMPLETED,
            "request " + Long.toUnsignedString(id.getSeq()) + " of client "
                + Long.toUnsignedString(id.getClientId()) + " was already completed"),
            kvMeta.revision());
      }
      if (lookup.result() != null) {
        return lookup.result();
      }
    }
    CommandHandler handler = handlers.get(command.getKindCase());
    if (handler == null) {
      throw new IllegalStateException("no handler for command kind " + command.getKindCase()
          + " at index " + context.index() + ": is this member older than the leader?");
    }
    KvMeta before = kvMeta.copy();
    int eventsBefore = events.size();
    int actionsBefore = afterCommit.size();
    txn.setSavePoint();
    CommandResult result;
    try {
      result = handler.apply(context, command).setRevision(kvMeta.revision()).build();
      txn.releaseSavePoint();
    } catch (CoordError refusal) {
      txn.rollbackToSavePoint();
      kvMeta.restore(before);
      events.subList(eventsBefore, events.size()).clear();
      afterCommit.subList(actionsBefore, afterCommit.size()).clear();
      result = rejection(refusal, kvMeta.revision());
    }
    if (id != null) {
      dedupe.record(txn, id, lookup, result, context.leaderTimeMs());
    }
    return result;
  }

  /**
   * The result of a refused command, as answered and as kept in the dedupe table. The metadata
   * go in key order: a protobuf map is serialized in insertion order, and the error's map
   * iterates in an order that differs between JVMs, so members wrote different bytes for the
   * same refusal and their state hashes diverged.
   */
  static CommandResult rejection(CoordError error, long revision) {
    return CommandResult.newBuilder()
        .setRevision(revision)
        .setRejection(Rejection.newBuilder()
            .setReason(error.reason().getNumber())
            .setMessage(error.getMessage())
            .putAllMetadata(new TreeMap<>(error.metadata())))
        .build();
  }

  /**
   * Runs {@code reader} on a consistent view of the committed state together with the
   * key-value counters of that same view.
   */
  public <T> T read(BiFunction<ReadView, KvMeta, T> reader) {
    try (ReadView view = currentBackend().readView()) {
      return reader.apply(view, KvMeta.load(view));
    }
  }

  private Backend currentBackend() {
    Backend current = backend;
    if (current == null) {
      throw new io.coord.server.storage.StoreClosedException();
    }
    return current;
  }

  public long appliedTerm() {
    return appliedTerm;
  }

  /** Log index of the last entry applied to the store; -1 before the first. */
  public long appliedIndex() {
    return appliedIndex;
  }

  /** The store revision after the last applied entry. */
  public long revision() {
    return revision;
  }

  public long compactRevision() {
    return compactRevision;
  }

  /** True while compacted history is still being removed (see {@code Compactor}). */
  public boolean compactionBehind() {
    return compactionBehind;
  }

  /** Writes a consistent copy of the store to {@code target}, which must not exist. */
  public void checkpoint(Path target) {
    currentBackend().checkpoint(target);
  }

  public long storeSizeBytes() {
    return currentBackend().sizeBytes();
  }

  /** Hash of the replicated state, excluding the applied position. Equal on converged members. */
  public String stateHash() {
    return stateDigest().hash();
  }

  /** {@link #stateHash()} together with the applied index of the state it hashed. */
  public StateDigest stateDigest() {
    Backend current = currentBackend();
    try (ReadView view = current.readView()) {
      byte[] applied = view.get(ColumnFamily.META, APPLIED);
      return new StateDigest(applied == null ? -1 : Bytes.getLong(applied, 8),
          current.hash(view, List.of(APPLIED)));
    }
  }

  /**
   * A hash of the replicated state and the log index it reflects.
   *
   * @param appliedIndex index of the last entry applied to the hashed state (-1: none)
   * @param hash SHA-256 (hex) of the state, excluding the applied position
   */
  public record StateDigest(long appliedIndex, String hash) {}

  /** Closes the store (waiting for readers); reads fail until it is reopened. */
  public void closeStore() {
    Backend current = backend;
    backend = null;
    if (current != null) {
      current.close();
    }
  }

  /**
   * Replaces the store with a copy of the checkpoint in {@code checkpointDir} (files hard
   * linked where possible) and opens it. The store must be closed.
   */
  public void replaceStore(Path checkpointDir) {
    if (backend != null) {
      throw new IllegalStateException("close the store before replacing it");
    }
    try {
      deleteRecursively(dbDir);
      Files.createDirectories(dbDir);
      try (Stream<Path> files = Files.list(checkpointDir)) {
        for (Path file : files.toList()) {
          String name = file.getFileName().toString();
          if (name.endsWith(".md5") || !Files.isRegularFile(file)) {
            continue;
          }
          Path target = dbDir.resolve(name);
          try {
            Files.createLink(target, file);
          } catch (IOException | UnsupportedOperationException e) {
            Files.copy(file, target);
          }
        }
      }
    } catch (IOException e) {
      throw new StorageException("cannot restore the store from " + checkpointDir, e);
    }
    open();
    storesReplaced.incrementAndGet();
    for (ApplyListener listener : listeners) {
      listener.onStateReplaced(appliedIndex, revision);
    }
  }

  /**
   * Prepares a store restored from a backup to found a new cluster: forgets the log position
   * of the old cluster (so the new log is applied from its first entry; revisions and history
   * stay) and the member addresses published there. The store must be open.
   */
  public void forgetLogPosition() {
    try (WriteTxn txn = currentBackend().beginWrite()) {
      txn.delete(ColumnFamily.META, APPLIED);
      List<byte[]> members = new ArrayList<>();
      try (var cursor = txn.scan(ColumnFamily.MEMBERS, null, null)) {
        for (; cursor.valid(); cursor.next()) {
          members.add(cursor.key());
        }
      }
      members.forEach(key -> txn.delete(ColumnFamily.MEMBERS, key));
      txn.commit();
    }
    appliedTerm = 0;
    appliedIndex = -1;
  }

  /** What a (closed) store in {@code dir}, e.g. a checkpoint, holds. */
  public static StoreSummary summarize(Path dir) {
    try (Backend store = Backend.open(dir); ReadView view = store.readView()) {
      byte[] applied = view.get(ColumnFamily.META, APPLIED);
      KvMeta meta = KvMeta.load(view);
      long keys = 0;
      try (var cursor = view.scan(ColumnFamily.KV, null, null)) {
        for (; cursor.valid(); cursor.next()) {
          keys++;
        }
      }
      return new StoreSummary(applied == null ? 0 : Bytes.getLong(applied, 0),
          applied == null ? -1 : Bytes.getLong(applied, 8), meta.revision(),
          meta.compactRevision(), keys);
    }
  }

  /**
   * The position and size of a store.
   *
   * @param appliedTerm term of the last applied entry
   * @param appliedIndex index of the last applied entry (-1: none)
   * @param revision the store revision
   * @param compactRevision the oldest readable revision
   * @param keyCount live keys
   */
  public record StoreSummary(long appliedTerm, long appliedIndex, long revision,
      long compactRevision, long keyCount) {}

  /** How often this member's state was replaced by a snapshot since it started. */
  public long storesReplaced() {
    return storesReplaced.get();
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  @Override
  public void close() {
    closeStore();
  }
}
