package io.coord.chaos.check;

import static io.coord.chaos.check.HistoryBuilder.MS;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.EventType;
import io.coord.chaos.history.FaultEvent;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class AvailabilityCheckerTest {
  private static final Duration WINDOW = Duration.ofMillis(100);

  /**
   * One second of history: writes acknowledged at 50, 150, 250 ms, then nothing (a write
   * invoked at 310 ms times out) until a write invoked at 600 ms is acknowledged at 650 ms;
   * reads run till 1000 ms. The leader is killed at 300 ms.
   */
  private static History history() {
    return new HistoryBuilder()
        .write(1, "x", 1, 0, 50)
        .write(1, "x", 2, 100, 150)
        .write(1, "x", 3, 200, 250)
        .op(1, "write", "x", 4, EventType.INFO, null, 310, 500)
        .write(2, "x", 5, 600, 650)
        .read(3, "x", 5, 700, 1_000)
        .build();
  }

  private static final FaultLog LEADER_KILLED = FaultLog.of(List.of(
      new FaultEvent(300 * MS, "kill", "n1", FaultEvent.Phase.START, true),
      new FaultEvent(400 * MS, "kill", "n1", FaultEvent.Phase.HEAL, false),
      new FaultEvent(800 * MS, "pause", "n2", FaultEvent.Phase.START, false)));

  @Test
  void measuresTheWindowsWithAnAcknowledgedWriteAndTheUnavailabilityAfterALeaderLoss() {
    Availability availability = new AvailabilityChecker(WINDOW, null)
        .measure(history(), LEADER_KILLED);

    assertThat(availability.windows()).isEqualTo(10);
    assertThat(availability.windowsWithWrite()).isEqualTo(4);
    assertThat(availability.fraction()).isEqualTo(0.4);
    assertThat(availability.recoveries()).singleElement().satisfies(r -> {
      assertThat(r.fault().fault()).isEqualTo("kill");
      assertThat(r.unavailableNanos()).isEqualTo(350 * MS);
    });
  }

  @Test
  void withoutALimitTheFigureIsInformational() {
    CheckResult result = new AvailabilityChecker(WINDOW, null).check(history(), LEADER_KILLED);

    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    assertThat(result.summary()).isEqualTo("40.0% of 10 windows of 100.0ms had an acknowledged"
        + " write; kill n1 at +0.300s: writes unavailable 350.0ms");
  }

  @Test
  void aLimitFailsALongerUnavailability() {
    CheckResult result = new AvailabilityChecker(WINDOW, Duration.ofMillis(200))
        .check(history(), LEADER_KILLED);

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("unavailable-too-long");
      assertThat(a.explanation()).isEqualTo("after the kill of n1 at +0.300s no write was"
          + " acknowledged for 350.0ms (limit 200.0ms)");
    });
    assertThat(new AvailabilityChecker(WINDOW, Duration.ofMillis(400))
        .check(history(), LEADER_KILLED).verdict()).isEqualTo(Verdict.PASS);
  }

  @Test
  void noAcknowledgedWriteAtAllIsUnknown() {
    History none = new HistoryBuilder()
        .op(1, "write", "x", 1, EventType.INFO, null, 0, 500).build();
    assertThat(new AvailabilityChecker(WINDOW, null).check(none, FaultLog.empty()).verdict())
        .isEqualTo(Verdict.UNKNOWN);
  }
}
