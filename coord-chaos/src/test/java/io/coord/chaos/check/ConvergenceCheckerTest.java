package io.coord.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.FaultLog;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConvergenceCheckerTest {
  private final ConvergenceChecker checker = new ConvergenceChecker();

  private static HistoryBuilder state(HistoryBuilder h, String member, long index, String hash) {
    return h.ok(7, "member-state", member, null, Map.of("applied_index", index, "hash", hash),
        0, 1);
  }

  private CheckResult check(HistoryBuilder history) {
    return checker.check(history.build(), FaultLog.empty());
  }

  @Test
  void membersAtTheSameIndexWithTheSameHashHaveConverged() {
    HistoryBuilder history = new HistoryBuilder();
    state(history, "n1", 41, "beef");
    state(history, "n2", 41, "beef");
    state(history, "n3", 40, "cafe");
    state(history, "n3", 41, "beef");

    CheckResult result = check(history);

    assertThat(result.verdict()).as("the last report of each member counts")
        .isEqualTo(Verdict.PASS);
    assertThat(result.summary()).startsWith("3 members: [n1 (applied 41, hash beef)");
  }

  @Test
  void differentHashesAtTheSameIndexHaveDiverged() {
    HistoryBuilder history = new HistoryBuilder();
    state(history, "n1", 41, "beef");
    state(history, "n2", 41, "beef");
    state(history, "n3", 41, "dead");

    assertThat(check(history).anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("diverged");
      assertThat(a.explanation()).contains("n3 (applied 41, hash dead)");
    });
  }

  @Test
  void differentIndexesHaveNotCaughtUp() {
    HistoryBuilder history = new HistoryBuilder();
    state(history, "n1", 41, "beef");
    state(history, "n2", 39, "f00d");

    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .containsExactly("not-caught-up");
  }

  @Test
  void oneMemberIsNotEnough() {
    assertThat(check(state(new HistoryBuilder(), "n1", 41, "beef")).verdict())
        .isEqualTo(Verdict.UNKNOWN);
  }
}
