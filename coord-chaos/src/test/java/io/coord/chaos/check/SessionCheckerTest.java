package io.coord.chaos.check;

import static io.coord.chaos.history.EventType.FAIL;
import static io.coord.chaos.history.EventType.INFO;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.FaultEvent;
import io.coord.chaos.history.FaultLog;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TTL 1 s, election timeout 300 ms, slack 50 ms. */
class SessionCheckerTest {
  private final SessionChecker checker =
      new SessionChecker(Duration.ofMillis(300), Duration.ofMillis(50));

  /** Granted at 0, kept alive until 900; the client stops there. */
  private static HistoryBuilder session() {
    return new HistoryBuilder()
        .ok(1, "grant", "s", 1000, 1000, 0, 5)
        .ok(1, "keepalive", "s", null, null, 300, 305)
        .ok(1, "keepalive", "s", null, null, 600, 605)
        .ok(1, "keepalive", "s", null, null, 900, 905);
  }

  private static HistoryBuilder status(HistoryBuilder h, String status, long at) {
    return h.ok(2, "session-status", "s", null, status, at, at + 5);
  }

  private CheckResult check(HistoryBuilder history) {
    return checker.check(history.build(), FaultLog.empty());
  }

  @Test
  void aSessionThatExpiresWithinItsBoundsPasses() {
    HistoryBuilder history = status(session(), "alive", 1500);
    status(history, "alive", 2200);
    status(history, "expired", 2300);

    CheckResult result = check(history);

    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    assertThat(result.summary()).startsWith("1 sessions, 1 with a checkable upper bound");
  }

  @Test
  void aSessionSeenGoneBeforeItsTtlSinceTheLastKeepAliveExpiredTooEarly() {
    CheckResult result = check(status(session(), "expired", 1200));

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("expired-too-early");
      assertThat(a.explanation()).contains("seen gone by p2 session-status s -> ok \"expired\"")
          .contains("p1 keepalive s -> ok [+0.900s, +0.905s] was acknowledged")
          .endsWith("should live until at least +1.850s");
    });
  }

  @Test
  void aKeepAliveRefusedAsExpiredIsAnObservationToo() {
    HistoryBuilder history = session()
        .op(1, "keepalive", "s", null, FAIL, null, 1200, 1205, "expired", null);
    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .containsExactly("expired-too-early");
  }

  @Test
  void aSessionNeverExpiresWhileKeepAlivesAreAcknowledged() {
    HistoryBuilder history = status(session(), "expired", 700);
    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .as("gone at 700 though kept alive at 600; then the keep-alive at 900 was acknowledged")
        .containsExactlyInAnyOrder("expired-too-early", "session-resurrected");
  }

  @Test
  void aSessionStillAliveLongAfterTtlPlusElectionTimeoutExpiredTooLate() {
    CheckResult result = check(status(session(), "alive", 2400));

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("expired-too-late");
      assertThat(a.explanation()).contains("its last keep-alive ended at +0.905s")
          .contains("should have expired by +2.255s");
    });
  }

  @Test
  void aLeaderLossRestartsTheTtlFromTheNewLeader() {
    FaultLog faults = FaultLog.of(List.of(
        new FaultEvent(1_000 * HistoryBuilder.MS, "kill", "n1", FaultEvent.Phase.START, true),
        new FaultEvent(1_500 * HistoryBuilder.MS, "kill", "n1", FaultEvent.Phase.HEAL, false)));

    assertThat(checker.check(status(session(), "alive", 2400).build(), faults).verdict())
        .isEqualTo(Verdict.PASS);
    CheckResult late = checker.check(status(session(), "alive", 2900).build(), faults);
    assertThat(late.anomalies()).singleElement().satisfies(a -> assertThat(a.explanation())
        .endsWith("should have expired by +2.850s (moved by the kill of n1 healed at +1.500s)"));
  }

  @Test
  void aRevokedSessionIsGoneAtOnceAndForGood() {
    HistoryBuilder revoked = new HistoryBuilder()
        .ok(1, "grant", "s", 1000, 1000, 0, 5)
        .ok(1, "revoke", "s", null, null, 500, 510);
    status(revoked, "expired", 520);
    assertThat(check(revoked).verdict()).isEqualTo(Verdict.PASS);
    status(revoked, "alive", 600);
    assertThat(check(revoked).anomalies()).extracting(Anomaly::kind)
        .containsExactly("session-resurrected");
  }

  @Test
  void anUnfinishedKeepAliveLeavesTheUpperBoundUnknown() {
    HistoryBuilder history = session().invoke(1, "keepalive", "s", null, 1200);
    status(history, "alive", 5000);

    CheckResult result = check(history);

    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    assertThat(result.summary()).startsWith("1 sessions, 0 with a checkable upper bound");
  }

  @Test
  void anUnknownKeepAliveCountsAsProcessedByItsDeadline() {
    HistoryBuilder history = session().op(1, "keepalive", "s", null, INFO, null, 1200, 1300);
    status(history, "alive", 2600);
    assertThat(check(history).verdict()).isEqualTo(Verdict.PASS);
    status(history, "alive", 2700);
    assertThat(check(history).anomalies()).extracting(Anomaly::kind)
        .containsExactly("expired-too-late");
  }
}
