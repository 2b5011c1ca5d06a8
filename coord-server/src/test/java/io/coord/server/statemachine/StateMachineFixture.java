package io.coord.server.statemachine;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.DeleteRangeRequest;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RangeResponse;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.LogEntry;
import io.coord.server.command.RequestId;
import io.coord.server.kv.KvCommands;
import io.coord.server.kv.KvReader;
import io.coord.server.election.ElectionHandlers;
import io.coord.server.election.ElectionProjection;
import io.coord.server.lock.LockFences;
import io.coord.server.lock.LockHandlers;
import io.coord.server.lock.LockProjection;
import io.coord.server.lock.LockSpace;
import io.coord.server.lock.LockTable;
import io.coord.server.session.SessionHandlers;
import io.coord.server.session.SessionStore;
import java.nio.file.Path;

/** A state machine over a fresh store, fed log entries directly (no Raft). */
public final class StateMachineFixture implements AutoCloseable {
  private final CoordStateMachine stateMachine;
  private final SessionStore sessions = new SessionStore();
  private final LockTable locks = new LockTable(LockSpace.LOCK, new LockProjection());
  private final LockTable elections = new LockTable(LockSpace.ELECTION, new ElectionProjection());
  private long index;
  private long term = 1;
  private long time = 1_000_000;

  public StateMachineFixture(Path dir) {
    stateMachine = open(dir, sessions, locks, elections);
    index = Math.max(0, stateMachine.appliedIndex());
  }

  /** A state machine over {@code dir} with every handler registered, opened. */
  public static CoordStateMachine open(Path dir, SessionStore sessions) {
    return open(dir, sessions, new LockTable(LockSpace.LOCK, new LockProjection()),
        new LockTable(LockSpace.ELECTION, new ElectionProjection()));
  }

  private static CoordStateMachine open(Path dir, SessionStore sessions, LockTable locks,
      LockTable elections) {
    CoordStateMachine stateMachine = new CoordStateMachine(dir);
    KvHandlers.register(stateMachine, new KvCommands(sessions, new LockFences()));
    SessionHandlers.register(stateMachine, sessions);
    LockHandlers.register(stateMachine, locks);
    ElectionHandlers.register(stateMachine, elections);
    sessions.addEndListener(locks);
    sessions.addEndListener(elections);
    MemberHandler.register(stateMachine);
    io.coord.server.discovery.DiscoveryHandlers.register(stateMachine,
        new io.coord.server.discovery.InstanceStore(sessions));
    stateMachine.open();
    return stateMachine;
  }

  public CoordStateMachine stateMachine() {
    return stateMachine;
  }

  public SessionStore sessions() {
    return sessions;
  }

  /** The locks' table (to set its events). */
  public LockTable locks() {
    return locks;
  }

  public LockTable elections() {
    return elections;
  }

  /** Applies one entry holding {@code commands}; returns their results. */
  public java.util.List<CommandResult> apply(Command... commands) {
    time += 10;
    LogEntry entry = LogEntry.newBuilder().addAllCommands(java.util.List.of(commands))
        .setLeaderTimeMs(time).build();
    return stateMachine.apply(term, ++index, entry).getResultsList();
  }

  /** Later entries carry {@code term} (a new leader). */
  public void setTerm(long term) {
    this.term = term;
  }

  public long term() {
    return term;
  }

  public CommandResult applyOne(Command command) {
    return apply(command).get(0);
  }

  public void advanceTime(long millis) {
    time += millis;
  }

  public static Command put(String key, String value) {
    return Command.newBuilder().setPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))).build();
  }

  /** Puts {@code key} attached to {@code session}. */
  public static Command put(String key, String value, long session) {
    return Command.newBuilder().setPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
        .setSession(session)).build();
  }

  public static Command grant(long ttlMs) {
    return Command.newBuilder().setGrantSession(
        io.coord.server.command.GrantSession.newBuilder().setTtlMs(ttlMs)).build();
  }

  public static Command revoke(long session) {
    return Command.newBuilder().setRevokeSession(
        io.coord.proto.v1.SessionRevokeRequest.newBuilder().setId(session)).build();
  }

  public static Command expire(long term, long... sessions) {
    var expire = io.coord.server.command.ExpireSessions.newBuilder()
        .setReason(io.coord.proto.v1.SessionEndReason.TTL_EXPIRED).setTerm(term);
    for (long session : sessions) {
      expire.addIds(session);
    }
    return Command.newBuilder().setExpireSessions(expire).build();
  }

  public static Command delete(String key, String rangeEnd) {
    return Command.newBuilder().setDeleteRange(DeleteRangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setRangeEnd(ByteString.copyFromUtf8(rangeEnd)))
        .build();
  }

  public static Command identified(Command command, long client, long seq, long firstIncomplete) {
    return command.toBuilder().setRequestId(RequestId.newBuilder().setClientId(client)
        .setSeq(seq).setFirstIncompleteSeq(firstIncomplete)).build();
  }

  public RangeResponse range(RangeRequest request) {
    return stateMachine.read((view, meta) -> KvReader.range(view, meta, request));
  }

  public RangeResponse get(String key) {
    return range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key)).build());
  }

  @Override
  public void close() {
    stateMachine.close();
  }
}
