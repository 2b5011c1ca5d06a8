package io.coord.chaos.check;

import static io.coord.chaos.history.EventType.FAIL;
import static io.coord.chaos.history.EventType.INFO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.chaos.history.FaultLog;
import java.util.List;
import org.junit.jupiter.api.Test;

class LostWriteCheckerTest {
  private final LostWriteChecker checker = new LostWriteChecker();

  private CheckResult check(HistoryBuilder history) {
    return checker.check(history.build(), FaultLog.empty());
  }

  private static HistoryBuilder finalRead(HistoryBuilder history, String key, Object value) {
    return history.ok(9, "final-read", key, null, value, 1_000, 1_010);
  }

  private static HistoryBuilder twoWrites() {
    return new HistoryBuilder().write(1, "x", 1, 0, 10).write(2, "x", 2, 20, 30);
  }

  @Test
  void aFinalReadOfTheLastAcknowledgedWritePasses() {
    CheckResult result = check(finalRead(twoWrites(), "x", 2));

    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    assertThat(result.summary()).isEqualTo("1 keys with a final read, 2 acknowledged writes");
  }

  @Test
  void aFinalReadOfAnOverwrittenValueLosesTheLaterAcknowledgedWrite() {
    CheckResult result = check(finalRead(twoWrites(), "x", 1));

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.anomalies()).singleElement().satisfies(anomaly -> {
      assertThat(anomaly.kind()).isEqualTo("lost-write");
      assertThat(anomaly.explanation()).startsWith("key x: p2 write x 2 -> ok")
          .contains("returned the value of p1 write x 1");
    });
  }

  @Test
  void concurrentAcknowledgedWritesMayEndInEitherOrder() {
    HistoryBuilder concurrent = new HistoryBuilder().write(1, "x", 1, 0, 10)
        .write(2, "x", 2, 5, 15);
    assertThat(check(finalRead(concurrent, "x", 1)).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void anUnknownWriteMayOrMayNotBeTheFinalValue() {
    HistoryBuilder withUnknown = twoWrites().op(3, "write", "x", 3, INFO, null, 40, 50);
    assertThat(check(finalRead(withUnknown, "x", 3)).verdict()).isEqualTo(Verdict.PASS);
    withUnknown = twoWrites().op(3, "write", "x", 3, INFO, null, 40, 50);
    assertThat(check(finalRead(withUnknown, "x", 2)).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void acknowledgedCasWritesCount() {
    HistoryBuilder history = new HistoryBuilder().write(1, "x", 1, 0, 10)
        .ok(2, "cas", "x", List.of(1, 2), List.of(1, 2), 20, 30);
    assertThat(check(finalRead(history, "x", 1)).anomalies()).extracting(Anomaly::kind)
        .containsExactly("lost-write");
  }

  @Test
  void anAbsentOrNeverWrittenFinalValueFails() {
    assertThat(check(finalRead(twoWrites(), "x", null)).anomalies()).hasSize(2)
        .allSatisfy(a -> assertThat(a.explanation())
            .endsWith("returned the value of the initial absent state"));
    assertThat(check(finalRead(twoWrites(), "x", 7)).anomalies()).extracting(Anomaly::kind)
        .containsExactly("phantom-value");
    HistoryBuilder failed = twoWrites().op(3, "write", "x", 3, FAIL, 3, 40, 50);
    assertThat(check(finalRead(failed, "x", 3)).anomalies()).extracting(Anomaly::kind)
        .containsExactly("phantom-value");
  }

  @Test
  void aDeleteWritesAbsent() {
    HistoryBuilder deleted = twoWrites().ok(3, "delete", "x", null, null, 40, 50);
    assertThat(check(finalRead(deleted, "x", null)).verdict()).isEqualTo(Verdict.PASS);
    HistoryBuilder rewritten = twoWrites().ok(3, "delete", "x", null, null, 40, 50)
        .write(1, "x", 3, 60, 70);
    assertThat(check(finalRead(rewritten, "x", null)).anomalies()).singleElement()
        .satisfies(a -> assertThat(a.explanation()).startsWith("key x: p1 write x 3 -> ok")
            .contains("returned the value of p3 delete x -> ok"));
  }

  @Test
  void writesAcknowledgedAfterTheFinalReadBeganAreNotRequired() {
    HistoryBuilder history = new HistoryBuilder().write(1, "x", 1, 0, 10)
        .write(2, "x", 2, 900, 1_005);
    assertThat(check(finalRead(history, "x", 1)).verdict()).isEqualTo(Verdict.PASS);
  }

  private static HistoryBuilder adds() {
    return new HistoryBuilder()
        .ok(1, "add", "s", 1, 1, 0, 10)
        .ok(2, "add", "s", 2, 2, 0, 10)
        .ok(1, "add", "s", 3, 3, 20, 30)
        .op(3, "add", "s", 4, INFO, null, 20, 30)
        .op(4, "add", "s", 5, FAIL, null, 20, 30);
  }

  @Test
  void aSetsFinalReadHoldsEveryAcknowledgedElementAndMaybeUnknownOnes() {
    assertThat(check(finalRead(adds(), "s", List.of(1, 2, 3))).verdict())
        .isEqualTo(Verdict.PASS);
    assertThat(check(finalRead(adds(), "s", List.of(3, 1, 4, 2))).verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void aSetMissingAnAcknowledgedElementHoldingAFailedOneOrADuplicateFails() {
    assertThat(check(finalRead(adds(), "s", List.of(1, 3))).anomalies()).singleElement()
        .satisfies(a -> {
          assertThat(a.kind()).isEqualTo("lost-write");
          assertThat(a.explanation()).contains("p2 add s 2 -> ok");
        });
    assertThat(check(finalRead(adds(), "s", List.of(1, 2, 3, 5))).anomalies()).singleElement()
        .satisfies(a -> {
          assertThat(a.kind()).isEqualTo("phantom-value");
          assertThat(a.explanation()).contains("whose add failed");
        });
    assertThat(check(finalRead(adds(), "s", List.of(1, 2, 2, 3))).anomalies())
        .extracting(Anomaly::kind).containsExactly("duplicate-element");
  }

  @Test
  void aKeyWithAcknowledgedWritesButNoFinalReadIsUnknown() {
    CheckResult result = check(finalRead(twoWrites().write(1, "y", 1, 40, 50), "x", 2));

    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.summary()).endsWith("no final read of y");
  }

  @Test
  void aSetsFinalReadMustBeAList() {
    assertThatThrownBy(() -> check(finalRead(adds(), "s", 3)))
        .hasMessageContaining("must return a list");
  }
}
