package io.coord.client.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The session state machine on a manual clock (TTL 6 s: interval 2 s, margin 160 ms). */
class LivenessTest {
  private static final long TTL_MS = 6000;
  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<SessionState> states = new ArrayList<>();
  private final List<SessionLoss> losses = new ArrayList<>();
  private final AtomicInteger overdue = new AtomicInteger();
  private final long grantSentAt = scheduler.nanoTime();
  private final Liveness liveness = new Liveness(7, TimeUnit.MILLISECONDS.toNanos(TTL_MS),
      grantSentAt, scheduler, (state, loss) -> {
        states.add(state);
        if (loss != null) {
          losses.add(loss);
        }
      });
  private long nonce;

  private long send() {
    liveness.sent(++nonce, overdue::incrementAndGet);
    return nonce;
  }

  @Test
  void theMarginIsOnePercentPlusAHundredMilliseconds() {
    assertThat(Liveness.marginNanos(TimeUnit.SECONDS.toNanos(6)))
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(160));
    assertThat(liveness.intervalNanos()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(2000));
  }

  @Test
  void withoutAnyAcknowledgementTheSessionIsLostAtGrantSendTimePlusTtlLessMargin() {
    scheduler.advanceMillis(5839);
    assertThat(liveness.state()).isEqualTo(SessionState.CONNECTED);
    assertThat(liveness.nanosUntilLost()).isEqualTo(TimeUnit.MILLISECONDS.toNanos(1));
    scheduler.advanceMillis(1);
    assertThat(states).containsExactly(SessionState.LOST);
    assertThat(losses.get(0).reason()).isEqualTo(SessionLoss.Reason.DEADLINE_PASSED);
  }

  @Test
  void anAcknowledgementCountsFromWhenItsKeepAliveWasSentNotWhenItArrived() {
    scheduler.advanceMillis(2000);
    long first = send();
    scheduler.advanceMillis(1500);
    liveness.acknowledged(first);
    // Lost at 2000 + 6000 - 160 ms after the start, not 3500 + ...
    scheduler.advanceMillis(7839 - 3500);
    assertThat(liveness.state()).isEqualTo(SessionState.CONNECTED);
    scheduler.advanceMillis(1);
    assertThat(liveness.state()).isEqualTo(SessionState.LOST);
  }

  @Test
  void anOverdueKeepAliveSuspendsAndTheNextAcknowledgementReconnects() {
    long first = send();
    scheduler.advanceMillis(1999);
    assertThat(states).isEmpty();
    scheduler.advanceMillis(1);
    assertThat(states).containsExactly(SessionState.SUSPENDED);
    assertThat(overdue).hasValue(1);
    long second = send();
    scheduler.advanceMillis(100);
    liveness.acknowledged(second);
    assertThat(states).containsExactly(SessionState.SUSPENDED, SessionState.RECONNECTED);
    // A late answer to the first keep-alive neither suspends nor moves the deadline back.
    liveness.acknowledged(first);
    assertThat(liveness.nanosUntilLost())
        .isEqualTo(TimeUnit.MILLISECONDS.toNanos(6000 - 160 - 100));
  }

  @Test
  void anAcknowledgementOfAnOlderKeepAliveDoesNotShortenTheDeadline() {
    long first = send();
    scheduler.advanceMillis(1000);
    long second = send();
    scheduler.advanceMillis(100);
    liveness.acknowledged(second);
    long left = liveness.nanosUntilLost();
    liveness.acknowledged(first);
    assertThat(liveness.nanosUntilLost()).isEqualTo(left);
  }

  @Test
  void aBrokenStreamSuspendsAtOnce() {
    liveness.streamDown();
    liveness.streamDown();
    assertThat(states).containsExactly(SessionState.SUSPENDED);
  }

  @Test
  void lostIsFinalEvenIfAnAcknowledgementArrivesLater() {
    long first = send();
    scheduler.advanceMillis(TTL_MS);
    liveness.acknowledged(first);
    assertThat(states).containsExactly(SessionState.SUSPENDED, SessionState.LOST);
    send();
    scheduler.advanceMillis(TTL_MS);
    assertThat(states).containsExactly(SessionState.SUSPENDED, SessionState.LOST);
  }

  @Test
  void anAcknowledgementProcessedAfterTheDeadlineDoesNotRescueTheSession() {
    long first = send();
    scheduler.advanceMillis(10);
    // The deadline passed, but the timer has not run yet when the answer is handled.
    Liveness late = new Liveness(8, TimeUnit.MILLISECONDS.toNanos(TTL_MS),
        scheduler.nanoTime() - TimeUnit.MILLISECONDS.toNanos(TTL_MS), scheduler,
        (state, loss) -> states.add(state));
    late.sent(1, () -> { });
    late.acknowledged(1);
    assertThat(late.state()).isEqualTo(SessionState.LOST);
    assertThat(first).isEqualTo(1);
  }

  @Test
  void theServerSayingTheSessionIsGoneLosesItWithTheServersReason() {
    liveness.gone(new SessionLoss(SessionLoss.Reason.REVOKED, "revoked"));
    assertThat(states).containsExactly(SessionState.LOST);
    assertThat(losses.get(0).reason()).isEqualTo(SessionLoss.Reason.REVOKED);
    liveness.close();
    assertThat(states).containsExactly(SessionState.LOST);
  }
}
