package io.coord.server.statemachine;

import static io.coord.server.statemachine.StateMachineFixture.identified;
import static io.coord.server.statemachine.StateMachineFixture.put;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.proto.v1.ErrorReason;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Test
  void retriesAreRecognisedWhateverOrderTheSequencesArrivedIn() {
    CommandResult five = fixture.applyOne(identified(put("five", "v"), 7, 5, 1));
    CommandResult three = fixture.applyOne(identified(put("three", "v"), 7, 3, 1));
    assertThat(fixture.applyOne(identified(put("five", "v"), 7, 5, 1))).isEqualTo(five);
    assertThat(fixture.applyOne(identified(put("three", "v"), 7, 3, 1))).isEqualTo(three);
    assertThat(fixture.get("five").getKvs(0).getVersion()).isEqualTo(1);
    assertThat(fixture.get("three").getKvs(0).getVersion()).isEqualTo(1);
  }

  @Test
  void aLateRetryInTheEntryThatAdvancedTheWatermarkIsRefused() {
    fixture.applyOne(identified(put("k", "1"), 7, 1, 1));
    var results = fixture.apply(identified(put("k", "2"), 7, 2, 2),
        identified(put("k", "1"), 7, 1, 1));
    assertThat(results.get(1).getRejection().getReason())
        .isEqualTo(ErrorReason.REQUEST_ALREADY_COMPLETED.getNumber());
    assertThat(fixture.get("k").getKvs(0).getVersion()).isEqualTo(2);
  }

  @Test
  void resultsBelowTheWatermarkAreDeletedNotOnlyHidden() {
    for (long seq = 1; seq <= 300; seq++) {
      fixture.applyOne(identified(put("k" + seq, "v"), 7, seq, Math.max(1, seq - 2)));
    }
    assertThat(storedResults()).isEqualTo(3);
    // A jump past more sequences than are deleted key by key goes through a scan.
    for (long seq = 301; seq <= 700; seq++) {
      fixture.applyOne(identified(put("k" + seq, "v"), 7, seq, 1));
    }
    assertThat(storedResults()).isEqualTo(3 + 400);
    fixture.applyOne(identified(put("last", "v"), 7, 701, 701));
    assertThat(storedResults()).isEqualTo(1);
  }

  @Test
  void aClientThatNeverAdvancesKeepsTheResultsOfItsNewestSequencesOnly() {
    int extra = 5;
    long last = DedupeTable.MAX_RESULTS_PER_CLIENT + extra;
    for (long seq = 1; seq <= last; seq += 100) {
      List<Command> entry = new ArrayList<>();
      for (long s = seq; s < seq + 100 && s <= last; s++) {
        entry.add(identified(put("k" + s, "v"), 7, s, 1));
      }
      fixture.apply(entry.toArray(Command[]::new));
    }
    assertThat(storedResults()).isEqualTo(DedupeTable.MAX_RESULTS_PER_CLIENT);
    CommandResult oldest = fixture.applyOne(identified(put("k1", "again"), 7, extra, 1));
    assertThat(oldest.getRejection().getReason())
        .isEqualTo(ErrorReason.REQUEST_ALREADY_COMPLETED.getNumber());
    long keptSeq = extra + 1;
    fixture.applyOne(identified(put("k" + keptSeq, "again"), 7, keptSeq, 1));
    assertThat(fixture.get("k" + keptSeq).getKvs(0).getVersion()).as("retry not applied")
        .isEqualTo(1);
  }

  @Test
  void aResultBelowItsOwnDeclaredWatermarkIsNotKept() {
    fixture.applyOne(identified(put("k", "1"), 7, 5, 10));
    assertThat(storedResults()).isZero();
    CommandResult retry = fixture.applyOne(identified(put("k", "1"), 7, 5, 10));
    assertThat(retry.getRejection().getReason())
        .isEqualTo(ErrorReason.REQUEST_ALREADY_COMPLETED.getNumber());
  }

  private long storedResults() {
    return fixture.stateMachine().read((view, meta) -> {
      long count = 0;
      try (var cursor = view.scan(io.coord.server.storage.ColumnFamily.DEDUPE, null, null)) {
        for (; cursor.valid(); cursor.next()) {
          count++;
        }
      }
      return count;
    });
  }
}
