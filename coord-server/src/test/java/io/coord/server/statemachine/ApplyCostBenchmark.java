package io.coord.server.statemachine;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.PutRequest;
import io.coord.server.command.Command;
import io.coord.server.command.RequestId;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply thread's cost per write, without Raft or the network: one state machine over a
 * fresh store applies entries of identified puts of fresh keys (256 B values, 8 per entry, the
 * client's first incomplete sequence 120 behind), as the leader's batching makes them at 128
 * in flight. A benchmark, not a test: surefire's default patterns skip it; run it alone, with
 * the JIT at full tier (the build's test JVMs stop at C1):
 *
 * <pre>
 * ./mvnw -pl coord-server -am test -Dtest=ApplyCostBenchmark \
 *     -Dsurefire.failIfNoSpecifiedTests=false -Dsurefire.argLine=-Xmx768m
 * </pre>
 *
 * <p>It prints microseconds per command for each round (the first warms the JIT) to the
 * test's output ({@code coord-server/target/surefire-reports/*ApplyCostBenchmark-output.txt}).
 */
class ApplyCostBenchmark {
  private static final int ROUNDS = 12;
  private static final int COMMANDS_PER_ROUND = 40_000;
  private static final int COMMANDS_PER_ENTRY = 8;
  private static final int IN_FLIGHT = 120;
  private static final long CLIENT = 77;

  @TempDir
  Path dir;

  @Test
  void putsOfFreshKeys() {
    byte[] bytes = new byte[256];
    new Random(1).nextBytes(bytes);
    ByteString value = ByteString.copyFrom(bytes);
    long seq = 0;
    try (StateMachineFixture fixture = new StateMachineFixture(dir)) {
      long startRevision = fixture.stateMachine().revision();
      for (int round = 0; round < ROUNDS; round++) {
        long start = System.nanoTime();
        for (int entry = 0; entry < COMMANDS_PER_ROUND / COMMANDS_PER_ENTRY; entry++) {
          Command[] commands = new Command[COMMANDS_PER_ENTRY];
          for (int i = 0; i < commands.length; i++) {
            seq++;
            commands[i] = Command.newBuilder()
                .setPut(PutRequest.newBuilder()
                    .setKey(ByteString.copyFromUtf8("bench/key-" + seq)).setValue(value))
                .setRequestId(RequestId.newBuilder().setClientId(CLIENT).setSeq(seq)
                    .setFirstIncompleteSeq(Math.max(1, seq - IN_FLIGHT)))
                .build();
          }
          fixture.apply(commands);
        }
        double micros = (System.nanoTime() - start) / 1000.0 / COMMANDS_PER_ROUND;
        System.out.printf("round %2d: %6.2f us per command%n", round, micros);
      }
      assertThat(fixture.stateMachine().revision() - startRevision).as("every put applied")
          .isEqualTo(seq);
    }
  }
}
