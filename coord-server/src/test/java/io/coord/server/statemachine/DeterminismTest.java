package io.coord.server.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.CompactionRequest;
import io.coord.proto.v1.Compare;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.server.command.Command;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The same command list applied to two fresh stores gives the same state. */
class DeterminismTest {
  @TempDir
  Path dir;

  @Test
  void sameCommandsGiveSameStateHash() {
    List<List<Command>> entries = randomEntries(new Random(42), 300);
    String first;
    String second;
    try (StateMachineFixture a = new StateMachineFixture(dir.resolve("a"))) {
      entries.forEach(e -> a.apply(e.toArray(Command[]::new)));
      first = a.stateMachine().stateHash();
      assertThat(a.stateMachine().revision()).isGreaterThan(100);
    }
    try (StateMachineFixture b = new StateMachineFixture(dir.resolve("b"))) {
      entries.forEach(e -> b.apply(e.toArray(Command[]::new)));
      second = b.stateMachine().stateHash();
    }
    assertThat(second).isEqualTo(first);
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
    try (StateMachineFixture a = new StateMachineFixture(dir.resolve("a"))) {
      entries.forEach(e -> a.apply(e.toArray(Command[]::new)));
      hash = a.stateMachine().stateHash();
    }
    CoordStateMachine reopened = new CoordStateMachine(dir.resolve("a"));
    KvHandlers.register(reopened, new io.coord.server.kv.KvCommands(
        io.coord.server.kv.SessionAttachments.NONE));
    MemberHandler.register(reopened);
    reopened.open();
    try {
      assertThat(reopened.appliedIndex()).isEqualTo(50);
      // Replaying an entry at or below the applied index changes nothing.
      var results = reopened.apply(1, 10, io.coord.server.command.LogEntry.newBuilder()
          .addCommands(StateMachineFixture.put("replayed", "x")).build());
      assertThat(results.getResultsCount()).isZero();
      assertThat(reopened.stateHash()).isEqualTo(hash);
    } finally {
      reopened.close();
    }
  }

  static List<List<Command>> randomEntries(Random random, int count) {
    List<List<Command>> entries = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      List<Command> batch = new ArrayList<>();
      int size = 1 + random.nextInt(4);
      for (int j = 0; j < size; j++) {
        String key = "key/" + random.nextInt(20);
        Command command = switch (random.nextInt(6)) {
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
