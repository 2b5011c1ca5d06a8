package io.coord.server.raft;

import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.server.command.EntryResult;
import io.coord.server.command.LogEntry;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.time.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adapts {@link CoordStateMachine} to Ratis: parses log entries, stamps the leader's time on
 * new entries, takes and installs RocksDB-checkpoint snapshots, and reports leadership changes.
 */
final class RatisStateMachine extends BaseStateMachine {
  private static final Logger LOG = LoggerFactory.getLogger(RatisStateMachine.class);
  /** The content of a read request that only waits for a linearizable read point. */
  static final byte[] BARRIER = new byte[] {'b'};

  private final CoordStateMachine stateMachine;
  private final Clock clock;
  private final LeadershipEvents leadership;
  /** Told when the member stops serving without being asked to (ignored while stopping). */
  private final Consumer<String> fatal;
  /** Told when Ratis says this member is no longer part of the group. */
  private final Consumer<String> removed;
  private final CheckpointStorage storage = new CheckpointStorage();
  /** Term of the last configuration entry applied; read and written on the apply thread. */
  private long lastConfigurationTerm;
  private final java.util.concurrent.atomic.AtomicLong leaderChanges =
      new java.util.concurrent.atomic.AtomicLong();
  private volatile RaftPeerId lastLeader;
  private volatile java.util.function.LongConsumer applyNanos = nanos -> { };

  RatisStateMachine(CoordStateMachine stateMachine, Clock clock, LeadershipEvents leadership,
      Consumer<String> fatal, Consumer<String> removed) {
    this.stateMachine = stateMachine;
    this.clock = clock;
    this.leadership = leadership;
    this.fatal = fatal;
    this.removed = removed;
  }

  /** Times of applying each entry go to {@code observer} (for metrics). */
  void observeApply(java.util.function.LongConsumer observer) {
    this.applyNanos = observer;
  }

  /** How often this member saw the leader change to another member. */
  long leaderChanges() {
    return leaderChanges.get();
  }

  @Override
  public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage)
      throws IOException {
    super.initialize(server, groupId, raftStorage);
    storage.init(raftStorage);
    getLifeCycle().startAndTransition(this::openState, IOException.class);
  }

  /**
   * Opens the store; if it is behind the newest snapshot (lost or half-restored), restores it
   * from the snapshot first, since Ratis replays the log only after the snapshot.
   */
  private void openState() throws IOException {
    stateMachine.open();
    SnapshotInfo snapshot = storage.getLatestSnapshot();
    if (snapshot != null && stateMachine.appliedIndex() < snapshot.getIndex()) {
      LOG.warn("state store at index {} is behind snapshot {}; restoring from the snapshot",
          stateMachine.appliedIndex(), snapshot.getTermIndex());
      stateMachine.closeStore();
      stateMachine.replaceStore(storage.latestDir().orElseThrow());
    }
    if (stateMachine.appliedIndex() >= 0) {
      setLastAppliedTermIndex(
          TermIndex.valueOf(stateMachine.appliedTerm(), stateMachine.appliedIndex()));
    } else if (snapshot != null) {
      setLastAppliedTermIndex(snapshot.getTermIndex());
    }
  }

  @Override
  public StateMachineStorage getStateMachineStorage() {
    return storage;
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return storage.getLatestSnapshot();
  }

  /** Stamps the leader's wall-clock time on the entry (the only time apply ever sees). */
  @Override
  public TransactionContext startTransaction(RaftClientRequest request) {
    byte[] stamp = LogEntry.newBuilder().setLeaderTimeMs(clock.wallMillis()).build()
        .toByteArray();
    return TransactionContext.newBuilder()
        .setStateMachine(this)
        .setClientRequest(request)
        .setLogData(request.getMessage().getContent().concat(RaftMessages.shaded(stamp)))
        .build();
  }

  @Override
  public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
    LogEntryProto entry = trx.getLogEntry();
    if (entry.getIndex() <= getLastAppliedTermIndex().getIndex()) {
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    LogEntry parsed;
    try {
      parsed = LogEntry.parseFrom(
          entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("unreadable log entry at index " + entry.getIndex(), e);
    }
    long start = System.nanoTime();
    EntryResult result = stateMachine.apply(entry.getTerm(), entry.getIndex(), parsed);
    applyNanos.accept(System.nanoTime() - start);
    updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
    return CompletableFuture.completedFuture(RaftMessages.message(result.toByteArray()));
  }

  /** Configuration and metadata entries; during replay they may be below the stored index. */
  @Override
  public void notifyTermIndexUpdated(long term, long index) {
    if (index > getLastAppliedTermIndex().getIndex()) {
      updateLastAppliedTermIndex(term, index);
    }
  }

  @Override
  public CompletableFuture<Message> query(Message request) {
    if (request.getContent().size() == BARRIER.length
        && request.getContent().byteAt(0) == BARRIER[0]) {
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
    return CompletableFuture.failedFuture(
        new IllegalArgumentException("unknown query of " + request.getContent().size() + " bytes"));
  }

  @Override
  public long takeSnapshot() throws IOException {
    TermIndex last = getLastAppliedTermIndex();
    if (last == null || last.getIndex() < 0) {
      return RaftLog.INVALID_LOG_INDEX;
    }
    Path target = storage.checkpointDir(last);
    if (!Files.exists(target)) {
      Path scratch = storage.inProgressDir();
      stateMachine.checkpoint(scratch);
      Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
      storage.refresh();
      LOG.info("took snapshot {} at revision {}", last, stateMachine.revision());
    }
    return last.getIndex();
  }

  @Override
  public void pause() {
    getLifeCycle().transition(LifeCycle.State.PAUSING);
    stateMachine.closeStore();
    getLifeCycle().transition(LifeCycle.State.PAUSED);
  }

  @Override
  public void reinitialize() throws IOException {
    getLifeCycle().transition(LifeCycle.State.STARTING);
    storage.refresh();
    Optional<Path> checkpoint = storage.latestDir();
    if (checkpoint.isEmpty()) {
      throw new IOException("reinitialize without a snapshot to load");
    }
    stateMachine.replaceStore(checkpoint.get());
    TermIndex installed = storage.getLatestSnapshot().getTermIndex();
    setLastAppliedTermIndex(installed);
    LOG.info("installed snapshot {} at revision {}", installed, stateMachine.revision());
    getLifeCycle().transition(LifeCycle.State.RUNNING);
  }

  @Override
  public void notifyLeaderChanged(RaftGroupMemberId member, RaftPeerId newLeaderId) {
    if (newLeaderId != null && !newLeaderId.equals(lastLeader)) {
      if (lastLeader != null) {
        leaderChanges.incrementAndGet();
      }
      lastLeader = newLeaderId;
    }
    leadership.leaderChanged(member.getPeerId(), newLeaderId);
  }

  /**
   * Configuration entries are applied on the apply thread, and Ratis declares its leader ready
   * right after applying the startup (configuration) entry of its term: that entry's term is
   * the term of the readiness, whatever the current term is by the time anyone looks.
   */
  @Override
  public void notifyConfigurationChanged(long term, long index,
      org.apache.ratis.proto.RaftProtos.RaftConfigurationProto newRaftConfiguration) {
    lastConfigurationTerm = term;
  }

  @Override
  public void notifyLeaderReady() {
    leadership.leaderReady(lastConfigurationTerm);
  }

  @Override
  public void notifyNotLeader(java.util.Collection<TransactionContext> pending) {
    leadership.notLeader();
  }

  @Override
  public void notifyServerShutdown(RoleInfoProto roleInfo, boolean allServer) {
    if (allServer) {
      fatal.accept("the Raft server shut down (role " + roleInfo.getRole() + ")");
    } else {
      // A candidate whose vote requests the others answer with "shut down": it is no longer
      // in their configuration.
      removed.accept("the other members no longer count it as a member");
    }
  }

  @Override
  public void notifyGroupRemove() {
    removed.accept("the leader removed it from the group");
  }

  @Override
  public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
    fatal.accept("the Raft log failed: " + cause);
  }

  /** Called when the division stops, also after a failed apply; reported unless stopping. */
  @Override
  public void close() {
    getLifeCycle().checkStateAndClose(stateMachine::closeStore);
    fatal.accept("the state machine was closed");
  }
}
