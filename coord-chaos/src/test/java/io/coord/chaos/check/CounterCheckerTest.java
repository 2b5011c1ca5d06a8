package io.coord.chaos.check;

import static io.coord.chaos.history.EventType.FAIL;
import static io.coord.chaos.history.EventType.INFO;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.chaos.history.FaultLog;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterCheckerTest {
  private final CounterChecker checker = new CounterChecker();

  /** Adds a and b acknowledged, c unknown (retried across a failover, then given up), d failed. */
  private static HistoryBuilder adds() {
    return new HistoryBuilder()
        .ok(1, "incr", "c", "a", "a", 0, 10)
        .ok(2, "incr", "c", "b", "b", 0, 10)
        .op(3, "incr", "c", "c", INFO, null, 20, 30)
        .op(4, "incr", "c", "d", FAIL, null, 20, 30);
  }

  private CheckResult check(HistoryBuilder history, List<String> finalIds) {
    return checker.check(history.ok(9, "final-read", "c", null, finalIds, 1_000, 1_010).build(),
        FaultLog.empty());
  }

  @Test
  void theFinalValueLiesBetweenAcknowledgedAndAcknowledgedPlusUnknownAdds() {
    CheckResult exact = check(adds(), List.of("a", "b"));
    assertThat(exact.verdict()).isEqualTo(Verdict.PASS);
    assertThat(exact.summary()).isEqualTo("1 counters: c = 2 in [2, 3]");
    assertThat(check(adds(), List.of("b", "c", "a")).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void anAddAppliedTwiceIsDetected() {
    CheckResult result = check(adds(), List.of("a", "b", "a"));

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("duplicate-apply");
      assertThat(a.explanation()).startsWith("counter c: add \"a\" applied 2 times");
    });
  }

  @Test
  void aLostOrAFailedButAppliedAddIsDetected() {
    assertThat(check(adds(), List.of("a")).anomalies()).extracting(Anomaly::kind)
        .containsExactly("lost-add");
    assertThat(check(adds(), List.of("a", "b", "d")).anomalies()).extracting(Anomaly::kind)
        .containsExactly("phantom-add");
    assertThat(check(adds(), List.of("a", "b", "zz")).anomalies()).extracting(Anomaly::kind)
        .containsExactly("phantom-add");
  }

  @Test
  void theCounterNeverGoesBackwards() {
    HistoryBuilder history = adds()
        .ok(5, "read", "c", null, List.of("a", "b", "c"), 40, 50)
        .ok(5, "read", "c", null, List.of("a", "b"), 60, 70);

    CheckResult result = check(history, List.of("a", "b", "c"));

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("counter-went-backwards");
      assertThat(a.explanation()).contains("id \"c\" seen by p5 read c -> ok [\"a\",\"b\",\"c\"]");
    });
  }

  @Test
  void aCounterWithoutFinalReadIsUnknown() {
    CheckResult result = checker.check(adds().build(), FaultLog.empty());
    assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(result.summary()).endsWith("no final read of c");
  }

  @Test
  void requestIdsMustBeUnique() {
    HistoryBuilder history = adds().ok(5, "incr", "c", "a", "a", 40, 50);
    assertThatThrownBy(() -> check(history, List.of("a")))
        .hasMessageContaining("request id \"a\" used by two incr operations");
  }
}
