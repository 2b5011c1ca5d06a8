package io.coord.chaos.check;

import static io.coord.chaos.history.EventType.FAIL;
import static io.coord.chaos.history.EventType.INFO;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Operation;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinearizabilityCheckerTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  private Verdict verdict(HistoryBuilder history) {
    return checker.checkKeys(history.build()).verdict();
  }

  @Test
  void aReadOfTheOlderOfTwoCompletedWritesIsAStaleRead() {
    History history = new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .write(2, "x", 2, 20, 30)
        .read(3, "x", 1, 40, 50)
        .build();

    LinearizabilityResult result = checker.checkKeys(history);

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    FailureWindow window = result.key("x").window();
    assertThat(window.ops()).extracting(Operation::f).containsExactly("write", "write", "read");
    assertThat(window.blocked().f()).isEqualTo("read");
    assertThat(window.prefix()).extracting(op -> op.input().asInt()).containsExactly(1, 2);
    assertThat(window.registerAfterPrefix()).isEqualTo("2");
    assertThat(window.from()).isEqualTo(0);
    assertThat(window.to()).isEqualTo(50 * HistoryBuilder.MS);
    assertThat(window.minimal()).isTrue();
  }

  @Test
  void theFailureReportNamesTheWindowThePrefixAndTheBlockedOperation() {
    History history = new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .write(2, "x", 2, 20, 30)
        .read(3, "x", 1, 40, 50)
        .build();

    CheckResult result = checker.check(history, FaultLog.empty());

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.summary()).startsWith("1 keys, 3 operations: 0 linearizable, 1 not");
    assertThat(result.anomalies()).singleElement().satisfies(anomaly -> {
      assertThat(anomaly.kind()).isEqualTo("not-linearizable");
      assertThat(anomaly.explanation())
          .contains("key x: the search linearized at most 2 of 3 operations")
          .contains("smallest failing window: 3 operations, +0.000s .. +0.050s")
          .contains("p1 write x 1 -> ok [+0.000s, +0.010s]")
          .contains("=> p3 read x -> ok 1 [+0.040s, +0.050s]")
          .contains("longest linearizable prefix of the window: p1 write 1, p2 write 2"
              + " -> register holds 2")
          .contains("cannot linearize: p3 read x -> ok 1");
    });
  }

  @Test
  void theWindowLeavesOutOperationsThatDoNotContributeToTheFailure() {
    HistoryBuilder history = new HistoryBuilder();
    long t = 0;
    for (int i = 1; i <= 20; i++) {
      history.write(1, "x", i, t, t + 5).read(2, "x", i, t + 6, t + 9);
      t += 10;
    }
    history.read(2, "x", 15, t, t + 5);
    for (int i = 21; i <= 30; i++) {
      t += 10;
      history.write(1, "x", i, t, t + 5);
    }

    FailureWindow window = checker.checkKeys(history.build()).key("x").window();

    assertThat(window.ops()).as("the write of 15, one later write, the stale read").hasSize(3);
    assertThat(window.ops().get(0).input().asInt()).isEqualTo(15);
    assertThat(window.ops().get(1).input().asInt()).isBetween(16, 20);
    assertThat(window.ops().get(2).output().asInt()).isEqualTo(15);
    assertThat(window.blocked()).isSameAs(window.ops().get(2));
  }

  @Test
  void theWindowKeepsTheWriteThatExplainsARefusedCompareAndSet() {
    HistoryBuilder history = new HistoryBuilder()
        .write(1, "x", 1, 0, 5)
        .read(2, "x", null, 10, 15)
        .op(3, "cas", "x", java.util.Arrays.asList(null, 7), io.coord.chaos.history.EventType.FAIL,
            java.util.Arrays.asList(null, 7), 12, 20, "mismatch", null);

    FailureWindow window = checker.checkKeys(history.build()).key("x").window();

    assertThat(window.ops()).as("not the refused cas alone, which only fails without its reason")
        .extracting(Operation::f).contains("write", "read");
    assertThat(window.blocked().f()).isEqualTo("read");
  }

  @Test
  void concurrentWritesMayBeOrderedEitherWayButOnlyOneWayForEveryReader() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .write(2, "x", 2, 0, 10)
        .read(3, "x", 1, 20, 30)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .write(2, "x", 2, 0, 10)
        .read(3, "x", 2, 20, 30)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .write(2, "x", 2, 0, 10)
        .read(3, "x", 2, 20, 30)
        .read(3, "x", 1, 40, 50)))
        .as("both writes completed before the reads, so the value cannot change between them")
        .isEqualTo(Verdict.FAIL);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 100)
        .write(2, "x", 2, 0, 10)
        .read(3, "x", 2, 20, 30)
        .read(3, "x", 1, 40, 50)))
        .as("write 1 is still running, so it can land between the reads: only order 2, 1 works")
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 100)
        .write(2, "x", 2, 0, 10)
        .read(3, "x", 1, 20, 30)
        .read(4, "x", 2, 40, 50)))
        .as("order 1, 2 is impossible: write 2 finished before the read of 1 began")
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void operationsThatTouchInTimeAreConcurrent() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .read(2, "x", null, 10, 20)))
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void theRegisterStartsAbsentAndAFailedWriteNeverTakesEffect() {
    assertThat(verdict(new HistoryBuilder()
        .read(1, "x", null, 0, 10)
        .write(1, "x", 1, 20, 30)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .read(2, "x", null, 20, 30)))
        .isEqualTo(Verdict.FAIL);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "write", "x", 2, FAIL, 2, 20, 30)
        .read(3, "x", 2, 40, 50)))
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void anUnknownWriteMayTakeEffectLongAfterItTimedOut() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "write", "x", 2, INFO, null, 20, 30)
        .read(3, "x", 1, 40, 50)
        .read(3, "x", 2, 1_000, 1_010)))
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void anUnknownWriteMayNeverTakeEffect() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "write", "x", 2, INFO, null, 20, 30)
        .read(3, "x", 1, 40, 50)
        .read(3, "x", 1, 1_000, 1_010)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .invoke(2, "write", "x", 2, 20)
        .read(3, "x", 1, 1_000, 1_010)))
        .as("an invocation that never completed")
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void anUnknownWriteTakesEffectOnceAndNotBeforeItsInvocation() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "write", "x", 2, INFO, null, 20, 30)
        .read(3, "x", 2, 40, 50)
        .read(3, "x", 1, 60, 70)))
        .as("once seen, the unknown write has happened; the value cannot go back")
        .isEqualTo(Verdict.FAIL);
    assertThat(verdict(new HistoryBuilder()
        .read(3, "x", 2, 0, 5)
        .op(2, "write", "x", 2, INFO, null, 20, 30)))
        .as("a value read before its write was invoked")
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void unknownReadsAndFailedReadsConstrainNothing() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "read", "x", null, INFO, null, 20, 30)
        .op(2, "read", "x", null, FAIL, 99, 40, 50)
        .read(3, "x", 1, 60, 70)))
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void casSwapsOnlyWhenTheRegisterHoldsTheExpectedValue() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .ok(2, "cas", "x", List.of(1, 2), List.of(1, 2), 20, 30)
        .read(3, "x", 2, 40, 50)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .ok(2, "cas", "x", List.of(3, 4), List.of(3, 4), 20, 30)))
        .as("an acknowledged cas whose expected value the register never held")
        .isEqualTo(Verdict.FAIL);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .ok(2, "cas", "x", List.of(1, 2), List.of(1, 2), 20, 30)
        .read(3, "x", 1, 40, 50)))
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void aCasRefusedForAMismatchSawAnotherValue() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "cas", "x", List.of(5, 6), FAIL, null, 20, 30, "mismatch", null)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "cas", "x", List.of(1, 2), FAIL, null, 20, 30, "mismatch", null)))
        .as("the register certainly held 1, so the compare cannot have failed")
        .isEqualTo(Verdict.FAIL);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "cas", "x", List.of(1, 2), FAIL, null, 20, 30, "unavailable", null)
        .read(3, "x", 1, 40, 50)))
        .as("a cas failed for another reason did not happen")
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void aCasOfUnknownOutcomeMayOrMayNotHaveSwapped() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "cas", "x", List.of(1, 2), INFO, null, 20, 30)
        .read(3, "x", 2, 40, 50)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "cas", "x", List.of(1, 2), INFO, null, 20, 30)
        .read(3, "x", 1, 40, 50)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "cas", "x", List.of(1, 2), INFO, null, 20, 30)
        .read(3, "x", 2, 40, 50)
        .read(3, "x", 1, 60, 70)))
        .isEqualTo(Verdict.FAIL);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .write(4, "x", 3, 20, 30)
        .op(2, "cas", "x", List.of(1, 2), INFO, null, 40, 50)
        .read(3, "x", 2, 60, 70)))
        .as("the register held 3 when the cas ran, so it cannot have swapped")
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void anUnknownWriteCanExplainAMismatchEvenIfNobodyReadItsValue() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .op(2, "write", "x", 2, INFO, null, 20, 30)
        .op(3, "cas", "x", List.of(1, 5), FAIL, null, 40, 50, "mismatch", null)))
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void aDeleteMakesTheKeyAbsent() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .ok(2, "delete", "x", null, null, 20, 30)
        .read(3, "x", null, 40, 50)))
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .ok(2, "delete", "x", null, null, 20, 30)
        .read(3, "x", 1, 40, 50)))
        .isEqualTo(Verdict.FAIL);
    assertThat(verdict(new HistoryBuilder()
        .read(3, "x", null, 0, 5)
        .write(1, "x", 1, 10, 20)
        .op(2, "delete", "x", null, INFO, null, 30, 40)
        .read(3, "x", 1, 50, 60)
        .read(3, "x", null, 70, 80)))
        .as("an unknown delete may land late; the first read of absent saw the initial state")
        .isEqualTo(Verdict.PASS);
    assertThat(verdict(new HistoryBuilder()
        .read(3, "x", null, 0, 5)
        .write(1, "x", 1, 10, 20)
        .op(2, "delete", "x", null, INFO, null, 30, 40)
        .read(3, "x", null, 50, 60)
        .read(3, "x", 1, 70, 80)))
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void finalReadsAreReads() {
    assertThat(verdict(new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .write(1, "x", 2, 20, 30)
        .ok(9, "final-read", "x", null, 1, 100, 110)))
        .isEqualTo(Verdict.FAIL);
  }

  @Test
  void keysAreCheckedIndependently() {
    LinearizabilityResult result = checker.checkKeys(new HistoryBuilder()
        .write(1, "a", 1, 0, 10)
        .write(2, "b", 1, 0, 10)
        .write(1, "a", 2, 20, 30)
        .read(3, "a", 2, 40, 50)
        .write(2, "b", 2, 20, 30)
        .read(4, "b", 1, 40, 50)
        .build());

    assertThat(result.keys()).extracting(KeyResult::key).containsExactly("a", "b");
    assertThat(result.key("a").verdict()).isEqualTo(Verdict.PASS);
    assertThat(result.key("b").verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
  }

  @Test
  void anExhaustedBudgetIsUnknownNeverAPass() {
    HistoryBuilder history = new HistoryBuilder();
    for (int p = 0; p < 8; p++) {
      history.write(p, "x", p, 0, 100);
    }
    history.read(9, "x", 3, 200, 210);
    LinearizabilityChecker tiny = new LinearizabilityChecker(
        new SearchBudget(3, Duration.ofMinutes(1)));

    LinearizabilityResult result = tiny.checkKeys(history.build());

    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.key("x").note()).startsWith("search budget exhausted after");
    CheckResult report = result.toCheckResult("linearizability", 0);
    assertThat(report.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(report.summary()).contains("budget exhausted on x");
    assertThat(new LinearizabilityChecker().checkKeys(history.build()).verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void aValueThatNobodyWroteCannotBeRead() {
    assertThat(verdict(new HistoryBuilder().read(1, "x", 5, 0, 1))).isEqualTo(Verdict.FAIL);
  }

  @Test
  void keysOfOtherWorkloadsAreNotRegisters() {
    History sets = new HistoryBuilder()
        .ok(1, "add", "s", 1, 1, 0, 1)
        .read(1, "s", List.of(1), 2, 3)
        .build();
    assertThat(checker.appliesTo(sets)).isFalse();
    assertThat(checker.appliesTo(new HistoryBuilder().read(1, "x", null, 0, 1).build()))
        .isTrue();
  }
}
