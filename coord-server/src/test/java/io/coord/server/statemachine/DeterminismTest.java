package io.coord.server.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.CompactionRequest;
import io.coord.proto.v1.Compare;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.server.command.Command;
import io.coord.server.lock.LockCommands;
import java.nio.file.Path;
import io.coord.proto.v1.ErrorReason;
import io.coord.server.command.CommandResult;
import io.coord.server.error.CoordError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same command list applied to two fresh stores gives the same state. */
class DeterminismTest {
  @TempDir
  Path dir;

  @Test
  void aRefusalIsStoredWithItsMetadataInKeyOrderWhateverOrderTheErrorIteratesIn() {
    // The dedupe table keeps refusals; their bytes must not depend on the JVM's map order.
    Map<String, String> metadata = new LinkedHashMap<>();
    for (String key : List.of("token", "lock", "current_tokens", "session", "limit", "field",
        "end_reason", "election")) {
      metadata.put(key, key + "-value");
    }
    CoordError error = new CoordError(ErrorReason.FENCING_TOKEN_STALE, "stale", metadata);
    CommandResult stored = CoordStateMachine.rejection(error, 7);
    assertThat(List.copyOf(stored.getRejection().getMetadataMap().keySet())).isSorted();
    CommandResult sortedFirst = CoordStateMachine.rejection(new CoordError(
        ErrorReason.FENCING_TOKEN_STALE, "stale", new java.util.TreeMap<>(metadata)), 7);
    assertThat(stored.toByteString()).isEqualTo(sortedFirst.toByteString());
    assertThat(stored.getRevision()).isEqualTo(7);
  }

  @Test
  void sameCommandsGiveSameStateHash() {
    List<List<Command>> entries = randomEntries(new Random(42), 300);
    String first;
    String second;
    try (StateMachineFixture a = new StateMachineFixture(dir.resolve("a"))) {
      applyAll(a, entries);
      first = a.stateMachine().stateHash();
      assertThat(a.stateMachine().revision()).isGreaterThan(100);
      long live = a.stateMachine().read((view, meta) ->
          io.coord.server.session.SessionReader.live(view)).size();
      long ended = a.stateMachine().read((view, meta) ->
          io.coord.server.session.SessionReader.ended(view)).size();
      assertThat(live).as("live sessions").isPositive();
      assertThat(ended).as("ended sessions").isPositive();
      long grants = a.stateMachine().read((view, meta) -> view.get(
          io.coord.server.storage.ColumnFamily.META,
          "lock/next_token".getBytes(java.nio.charset.StandardCharsets.UTF_8)) == null ? 0
          : io.coord.server.storage.Bytes.toLong(view.get(
              io.coord.server.storage.ColumnFamily.META,
              "lock/next_token".getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      assertThat(grants).as("lock grants made").isGreaterThan(20);
      long registered = entries.stream().flatMap(List::stream)
          .filter(Command::hasRegisterInstance).count();
      assertThat(registered).as("registrations in the mix").isPositive();
      assertThat(entries.stream().flatMap(List::stream).filter(Command::hasCompactionStep))
          .as("compaction steps in the mix").isNotEmpty();
    }
    try (StateMachineFixture b = new StateMachineFixture(dir.resolve("b"))) {
      applyAll(b, entries);
      second = b.stateMachine().stateHash();
    }
    assertThat(second).isEqualTo(first);
  }

  /**
   * Applies the entries; an entry made only of an expiry carrying term 0 is applied in a new
   * term and gets the expiry's term chosen from the entry's index (matching or stale).
   */
  private static void applyAll(StateMachineFixture fixture, List<List<Command>> entries) {
    for (int i = 0; i < entries.size(); i++) {
      List<Command> entry = entries.get(i);
      if (i % 50 == 49) {
        fixture.setTerm(fixture.term() + 1);
      }
      List<Command> resolved = new ArrayList<>();
      for (Command command : entry) {
        if (command.hasCheckResults() && command.getCheckResults().getTerm() == 0) {
          // Results about the instance's current registration, from this term or a stale one.
          var result = command.getCheckResults().getResults(0);
          long registration = fixture.stateMachine().read((view, meta) ->
              io.coord.server.discovery.InstanceReader.service(view, result.getService()))
              .stream().filter(x -> x.getId().equals(result.getInstanceId()))
              .mapToLong(io.coord.proto.v1.Instance::getRegistrationRevision).findFirst()
              .orElse(0);
          command = command.toBuilder().setCheckResults(command.getCheckResults().toBuilder()
              .setTerm(i % 4 == 0 ? fixture.term() - 1 : fixture.term())
              .setResults(0, result.toBuilder().setRegistrationRevision(registration))).build();
        }
        if (command.hasExpireSessions() && command.getExpireSessions().getTerm() == 0) {
          long term = i % 3 == 0 ? fixture.term() - 1 : fixture.term();
          command = command.toBuilder().setExpireSessions(command.getExpireSessions().toBuilder()
              .setTerm(term)).build();
        }
        resolved.add(command);
      }
      fixture.apply(resolved.toArray(Command[]::new));
    }
  }

  @Test
  void theDigestNamesTheAppliedIndexOfTheHashedState() {
    try (StateMachineFixture a = new StateMachineFixture(dir.resolve("a"))) {
      a.apply(StateMachineFixture.put("k", "1"));
      a.apply(StateMachineFixture.put("k", "2"));
      CoordStateMachine.StateDigest digest = a.stateMachine().stateDigest();
      assertThat(digest.appliedIndex()).isEqualTo(a.stateMachine().appliedIndex());
      assertThat(digest.hash()).isEqualTo(a.stateMachine().stateHash()).hasSize(64);
    }
  }

  @Test
  void differentCommandsGiveDifferentHashes() {
    try (StateMachineFixture a = new StateMachineFixture(dir.resolve("a"));
         StateMachineFixture b = new StateMachineFixture(dir.resolve("b"))) {
      a.apply(StateMachineFixture.put("k", "1"));
      b.apply(StateMachineFixture.put("k", "2"));
      assertThat(a.stateMachine().stateHash()).isNotEqualTo(b.stateMachine().stateHash());
    }
  }

  @Test
  void reopeningKeepsStateAndSkipsAppliedEntries() {
    List<List<Command>> entries = randomEntries(new Random(7), 50);
    String hash;
    long revision;
    try (StateMachineFixture a = new StateMachineFixture(dir.resolve("a"))) {
      entries.forEach(e -> a.apply(e.toArray(Command[]::new)));
      hash = a.stateMachine().stateHash();
      revision = a.stateMachine().revision();
    }
    CoordStateMachine reopened = StateMachineFixture.open(dir.resolve("a"),
        new io.coord.server.session.SessionStore());
    try {
      assertThat(reopened.appliedIndex()).isEqualTo(50);
      assertThat(reopened.revision()).as("revision saved with the last entry").isEqualTo(revision)
          .isGreaterThan(10);
      // Replaying an entry at or below the applied index changes nothing.
      var results = reopened.apply(1, 10, io.coord.server.command.LogEntry.newBuilder()
          .addCommands(StateMachineFixture.put("replayed", "x")).build());
      assertThat(results.getResultsCount()).isZero();
      assertThat(reopened.stateHash()).isEqualTo(hash);
    } finally {
      reopened.close();
    }
  }

  /** Locks, semaphores, read-write locks and elections, some refused, some guarding writes. */
  private static Command lockCommand(Random random, int i, long session) {
    String name = "lock/" + random.nextInt(4);
    long token = 1 + random.nextInt(Math.max(1, i / 2));
    return switch (random.nextInt(12)) {
      case 0 -> LockCommands.semaphore("sem/" + random.nextInt(2), session,
          1 + random.nextInt(2));
      case 1 -> LockCommands.readWrite("rw", session,
          random.nextBoolean() ? LockCommands.read() : LockCommands.write());
      case 2 -> LockCommands.tryAcquire(name, session);
      case 3 -> LockCommands.releaseToken(name, token);
      case 4 -> LockCommands.releaseSession(random.nextBoolean() ? name : "rw", session);
      case 5 -> LockCommands.withdraw(name, 1 + random.nextInt(Math.max(1, i)));
      case 6 -> LockCommands.breakLock(name, "test " + i);
      case 7 -> LockCommands.campaign("election/" + random.nextInt(2), session, "v" + i);
      case 8 -> LockCommands.proclaim("election/" + random.nextInt(2), token, "p" + i);
      case 9 -> LockCommands.resign("election/" + random.nextInt(2), token);
      case 10 -> Command.newBuilder().setPut(PutRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("guarded/" + random.nextInt(3)))
          .setValue(ByteString.copyFromUtf8("g" + i))
          .setGuard(LockCommands.lockFence(name, token))).build();
      default -> StateMachineFixture.identified(LockCommands.acquire(name, session),
          1 + random.nextInt(3), i * 10L + 9, i * 10L);
    };
  }

  static List<List<Command>> randomEntries(Random random, int count) {
    List<List<Command>> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Command> batch = new ArrayList<>();
      int size = 1 + random.nextInt(4);
      for (int j = 0; j < size; j++) {
        String key = "key/" + random.nextInt(20);
        long session = 1 + random.nextInt(Math.max(1, i / 4));
        Command command = switch (random.nextInt(19)) {
          case 10, 11, 12, 13, 14, 15 -> lockCommand(random, i, session);
          case 16 -> io.coord.server.discovery.InstanceStoreTest.register("svc" + random.nextInt(2),
              "i" + random.nextInt(4), session,
              io.coord.server.discovery.InstanceStoreTest.http("web"));
          case 17 -> random.nextBoolean()
              ? io.coord.server.discovery.InstanceStoreTest.result(0, "svc" + random.nextInt(2),
                  "i" + random.nextInt(4), 0, "web", random.nextBoolean()
                      ? io.coord.proto.v1.HealthStatus.PASSING
                      : io.coord.proto.v1.HealthStatus.CRITICAL)
              : Command.newBuilder().setDeregisterInstance(io.coord.proto.v1.DeregisterRequest
                  .newBuilder().setService("svc" + random.nextInt(2))
                  .setInstanceId("i" + random.nextInt(4))).build();
          case 18 -> Command.newBuilder().setCompactionStep(
              io.coord.server.command.CompactionStep.newBuilder().setMaxEvents(50)).build();
          case 6 -> StateMachineFixture.grant(1000L * (5 + random.nextInt(20)));
          case 7 -> StateMachineFixture.put(key, "s" + i, session);
          case 8 -> random.nextBoolean() ? StateMachineFixture.revoke(session)
              // Term 0: the expiry's term is chosen when applied (see applyAll).
              : StateMachineFixture.expire(0, session, session + 1);
          case 9 -> StateMachineFixture.identified(StateMachineFixture.grant(6000),
              1 + random.nextInt(3), i * 10L + j, i * 10L);
          case 0 -> StateMachineFixture.delete(key, "");
          case 1 -> StateMachineFixture.delete("key/1", "key/3");
          case 2 -> Command.newBuilder().setTxn(TxnRequest.newBuilder()
              .addCompare(Compare.newBuilder().setKey(ByteString.copyFromUtf8(key))
                  .setTarget(Compare.CompareTarget.VERSION)
                  .setResult(Compare.CompareResult.GREATER).setVersion(1))
              .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                  .setKey(ByteString.copyFromUtf8(key + "/t"))
                  .setValue(ByteString.copyFromUtf8("txn" + i))))
              .addFailure(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
                  .setKey(ByteString.copyFromUtf8(key))
                  .setValue(ByteString.copyFromUtf8("f" + i))))).build();
          case 3 -> i > 100 && random.nextInt(10) == 0
              ? Command.newBuilder().setCompact(CompactionRequest.newBuilder()
                  .setRevision(i / 2)).build()
              : StateMachineFixture.put(key, "v" + i);
          default -> StateMachineFixture.identified(StateMachineFixture.put(key, "v" + i),
              1 + random.nextInt(3), i * 10L + j, i * 10L);
        };
        batch.add(command);
      }
      entries.add(batch);
    }
    return entries;
  }
}
