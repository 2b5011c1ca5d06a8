package io.coord.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckSuiteTest {
  private final CheckSuite suite = CheckSuite.standard(CheckSuite.Options.defaults());

  @Test
  void runsOnlyTheCheckersWhoseOperationsArePresent() {
    History history = new HistoryBuilder()
        .write(1, "x", 1, 0, 10)
        .ok(9, "final-read", "x", null, 1, 20, 30)
        .build();

    List<CheckResult> results = suite.run(history, FaultLog.empty());

    assertThat(results).extracting(CheckResult::checker)
        .containsExactly("linearizability", "lost-writes", "availability");
    assertThat(CheckSuite.verdict(results)).isEqualTo(Verdict.PASS);
  }

  @Test
  void finalReadsOfCountersAreLeftToTheCounterChecker() {
    History history = new HistoryBuilder()
        .ok(1, "incr", "c", "a", "a", 0, 10)
        .ok(9, "final-read", "c", null, List.of("a"), 20, 30)
        .build();

    assertThat(suite.run(history, FaultLog.empty())).extracting(CheckResult::checker)
        .containsExactly("exactly-once-counter", "availability");
  }

  @Test
  void aMalformedOperationMakesItsCheckerUnknownNotTheSuiteCrash() {
    History history = new HistoryBuilder()
        .ok(1, "cas", "x", 5, 5, 0, 10)
        .build();

    List<CheckResult> results = suite.run(history, FaultLog.empty());

    assertThat(results.get(0).checker()).isEqualTo("linearizability");
    assertThat(results.get(0).verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(results.get(0).summary()).isEqualTo("could not check: cas by p1 on key x has"
        + " value 5, expected [expected, new]");
  }

  @Test
  void anOperationWithoutTheKeyItNeedsIsNamed() {
    History history = new HistoryBuilder().ok(1, "acquire", null, null, 1, 0, 10).build();

    assertThat(suite.run(history, FaultLog.empty())).singleElement().satisfies(result -> {
      assertThat(result.checker()).isEqualTo("lock-safety");
      assertThat(result.verdict()).isEqualTo(Verdict.UNKNOWN);
      assertThat(result.summary()).isEqualTo("could not check: acquire by p1 has no key");
    });
  }

  @Test
  void theVerdictIsTheWorstResultAndUnknownWhenNothingRan() {
    CheckResult pass = new CheckResult("a", Verdict.PASS, "", List.of());
    CheckResult unknown = new CheckResult("b", Verdict.UNKNOWN, "", List.of());
    CheckResult fail = new CheckResult("c", Verdict.FAIL, "", List.of(new Anomaly("k", "e")));

    assertThat(CheckSuite.verdict(List.of(pass, unknown))).isEqualTo(Verdict.UNKNOWN);
    assertThat(CheckSuite.verdict(List.of(unknown, fail, pass))).isEqualTo(Verdict.FAIL);
    assertThat(CheckSuite.verdict(List.of())).isEqualTo(Verdict.UNKNOWN);
  }
}
