package io.coord.chaos.check;

import static io.coord.chaos.history.EventType.FAIL;
import static io.coord.chaos.history.EventType.INFO;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.FaultLog;
import org.junit.jupiter.api.Test;

class LockCheckerTest {
  private final LockChecker checker = new LockChecker();

  private CheckResult check(HistoryBuilder history) {
    return checker.check(history.build(), FaultLog.empty());
  }

  private static HistoryBuilder acquire(HistoryBuilder h, long p, long token, long from, long to) {
    return h.ok(p, "acquire", "L", null, token, from, to);
  }

  private static HistoryBuilder write(HistoryBuilder h, long p, long token, long from, long to) {
    return h.ok(p, "guarded-write", "L", token, token, from, to);
  }

  @Test
  void holdsOneAfterAnotherWithIncreasingTokensPass() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 5, 0, 10);
    write(history, 1, 5, 20, 30).ok(1, "release", "L", 5, null, 40, 50);
    acquire(history, 2, 9, 60, 70);
    write(history, 2, 9, 80, 90);

    CheckResult result = check(history);

    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    assertThat(result.summary()).isEqualTo("1 locks, 2 grants, 2 accepted guarded writes");
  }

  @Test
  void aPausedExHolderWhoseWriteIsRejectedIsSafe() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 1, 0, 10);
    acquire(history, 2, 2, 20, 30);
    history.op(1, "guarded-write", "L", 1, FAIL, null, 40, 50, "stale token", null);
    write(history, 2, 2, 60, 70);

    assertThat(check(history).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void overlappingHoldsWithBothGuardedWritesAcceptedFail() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 1, 0, 10);
    acquire(history, 2, 2, 20, 30);
    write(history, 1, 1, 40, 50);
    write(history, 2, 2, 60, 70);

    CheckResult result = check(history);

    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("overlapping-holds");
      assertThat(a.explanation()).startsWith("lock L: p1 guarded-write L 1 -> ok")
          .contains("after p2 acquire L -> ok 2");
    });
  }

  @Test
  void aWriteConcurrentWithTheNextGrantMayHaveComeFirst() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 1, 0, 10);
    acquire(history, 2, 2, 20, 30);
    write(history, 1, 1, 25, 35);

    assertThat(check(history).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void tokensMustIncreaseWithEveryGrant() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 5, 0, 10);
    history.ok(1, "release", "L", 5, null, 20, 30);
    acquire(history, 2, 3, 40, 50);

    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .containsExactly("token-not-increasing");
  }

  @Test
  void aTokenGrantedTwiceFails() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 5, 0, 10);
    acquire(history, 2, 5, 0, 10);

    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .containsExactly("duplicate-token");
  }

  @Test
  void theResourceMustNotAcceptAnOlderTokenAfterANewerOne() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 1, 0, 5);
    acquire(history, 2, 2, 0, 100);
    write(history, 2, 2, 10, 12);
    write(history, 1, 1, 20, 30);

    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .containsExactly("stale-token-accepted");
  }

  @Test
  void aWriteAcceptedAfterItsHoldWasReleasedFails() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 1, 0, 10);
    history.ok(1, "release", "L", 1, null, 20, 30);
    write(history, 3, 1, 40, 50);

    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .containsExactly("write-after-release");
  }

  @Test
  void aWriteWithATokenNoAcquireReturnedFailsUnlessAnAcquireIsUnknown() {
    HistoryBuilder history = acquire(new HistoryBuilder(), 1, 1, 0, 10);
    write(history, 2, 7, 20, 30);
    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .containsExactly("unknown-token");

    HistoryBuilder unknownGrant = acquire(new HistoryBuilder(), 1, 1, 0, 10);
    unknownGrant.op(3, "acquire", "L", null, INFO, null, 0, 15);
    write(unknownGrant, 3, 7, 20, 30);
    assertThat(check(unknownGrant).verdict()).isEqualTo(Verdict.PASS);
  }
}
