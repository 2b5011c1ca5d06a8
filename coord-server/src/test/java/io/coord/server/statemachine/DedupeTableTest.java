package io.coord.server.statemachine;

import static io.coord.server.statemachine.StateMachineFixture.identified;
import static io.coord.server.statemachine.StateMachineFixture.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.proto.v1.ErrorReason;
import io.coord.server.command.CommandResult;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identified writes apply once however often they are retried. */
class DedupeTableTest {
  @TempDir
  Path dir;
  private StateMachineFixture fixture;

  @BeforeEach
  void open() {
    fixture = new StateMachineFixture(dir);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aRetryReturnsTheFirstResultWithoutApplyingAgain() {
    CommandResult first = fixture.applyOne(identified(put("k", "v"), 7, 1, 1));
    CommandResult retry = fixture.applyOne(identified(put("k", "v"), 7, 1, 1));
    assertThat(retry).isEqualTo(first);
    assertThat(fixture.get("k").getKvs(0).getVersion()).isEqualTo(1);
    assertThat(fixture.stateMachine().revision()).isEqualTo(first.getRevision());
  }

  @Test
  void aRetryInTheSameEntryIsAlsoDeduplicated() {
    var results = fixture.apply(identified(put("k", "a"), 7, 1, 1),
        identified(put("k", "a"), 7, 1, 1));
    assertThat(results.get(1)).isEqualTo(results.get(0));
    assertThat(fixture.get("k").getKvs(0).getVersion()).isEqualTo(1);
  }

  @Test
  void theUnsafeTestModeIgnoresTheTableAndAppliesARetryAgain() {
    fixture.stateMachine().setUnsafeSkipDedupe(true);
    fixture.applyOne(identified(put("k", "v"), 7, 1, 1));
    fixture.applyOne(identified(put("k", "v"), 7, 1, 1));
    assertThat(fixture.get("k").getKvs(0).getVersion()).isEqualTo(2);
  }

  @Test
  void differentClientsWithTheSameSequenceAreIndependent() {
    fixture.applyOne(identified(put("k", "a"), 7, 1, 1));
    fixture.applyOne(identified(put("k", "b"), 8, 1, 1));
    assertThat(fixture.get("k").getKvs(0).getVersion()).isEqualTo(2);
  }

  @Test
  void aSequenceBelowTheAcknowledgedWatermarkIsRefusedNotReapplied() {
    fixture.applyOne(identified(put("k", "1"), 7, 1, 1));
    fixture.applyOne(identified(put("k", "2"), 7, 2, 2));
    CommandResult late = fixture.applyOne(identified(put("k", "1"), 7, 1, 1));
    assertThat(late.getRejection().getReason())
        .isEqualTo(ErrorReason.REQUEST_ALREADY_COMPLETED.getNumber());
    assertThat(fixture.get("k").getKvs(0).getValue().toStringUtf8()).isEqualTo("2");
  }

  @Test
  void idleClientsAreForgottenAfterTheRetention() {
    fixture.applyOne(identified(put("k", "1"), 7, 1, 1));
    fixture.advanceTime(DedupeTable.RETENTION_MS + DedupeTable.SWEEP_INTERVAL_MS + 1);
    fixture.applyOne(put("other", "x"));
    // Forgotten: the same id applies again (only possible after the retention).
    fixture.applyOne(identified(put("k", "1"), 7, 1, 1));
    assertThat(fixture.get("k").getKvs(0).getVersion()).isEqualTo(2);
  }

  @Test
  void rejectionsAreRememberedToo() {
    var command = identified(io.coord.server.command.Command.newBuilder()
        .setPut(io.coord.proto.v1.PutRequest.newBuilder()
            .setKey(com.google.protobuf.ByteString.copyFromUtf8("missing")).setIgnoreValue(true))
        .build(), 9, 1, 1);
    CommandResult first = fixture.applyOne(command);
    assertThat(first.hasRejection()).isTrue();
    fixture.applyOne(put("missing", "now exists"));
    assertThat(fixture.applyOne(command)).isEqualTo(first);
  }
}
