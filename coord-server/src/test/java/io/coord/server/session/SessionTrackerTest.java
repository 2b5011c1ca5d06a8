package io.coord.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.proto.v1.SessionEndReason;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.ExpireSessionsResult;
import io.coord.server.command.SessionRecord;
import io.coord.server.time.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SessionTrackerTest {
  private final ManualClock clock = new ManualClock();
  private final List<SessionRecord> stored = new ArrayList<>();
  private final List<Command> proposed = new ArrayList<>();
  private CompletableFuture<CommandResult> nextResult;
  private final SessionTracker tracker = new SessionTracker(clock, () -> List.copyOf(stored),
      command -> {
        proposed.add(command);
        return nextResult != null ? nextResult : CompletableFuture.completedFuture(
            CommandResult.newBuilder().setExpireSessions(ExpireSessionsResult.newBuilder()
                .addAllExpired(command.getExpireSessions().getIdsList())).build());
      });

  @AfterEach
  void close() {
    tracker.close();
  }

  private void advanceMillis(long ms) {
    clock.advance(Duration.ofMillis(ms));
  }

  private static SessionRecord session(long id, long ttlMs) {
    return SessionRecord.newBuilder().setId(id).setTtlMs(ttlMs).build();
  }

  @Test
  void aNewLeaderGivesEverySessionItsFullTtlThenExpiresItWithItsTerm() {
    stored.add(session(1, 6000));
    stored.add(session(2, 9000));
    tracker.onLeaderReady(7);
    assertThat(tracker.remainingMs(1)).isEqualTo(6000);
    advanceMillis(5999);
    tracker.tick();
    assertThat(proposed).isEmpty();
    advanceMillis(1);
    tracker.tick();
    assertThat(proposed).hasSize(1);
    var expire = proposed.get(0).getExpireSessions();
    assertThat(expire.getIdsList()).containsExactly(1L);
    assertThat(expire.getTerm()).isEqualTo(7);
    assertThat(expire.getReason()).isEqualTo(SessionEndReason.TTL_EXPIRED);
  }

  @Test
  void aKeepAliveMovesTheDeadlineToTtlAfterItArrived() {
    stored.add(session(1, 6000));
    tracker.onLeaderReady(3);
    advanceMillis(4000);
    SessionTracker.KeepAlive renewal = tracker.keepAlive(1);
    assertThat(renewal.outcome()).isEqualTo(SessionTracker.Outcome.RENEWED);
    assertThat(renewal.term()).isEqualTo(3);
    assertThat(renewal.ttlMs()).isEqualTo(6000);
    assertThat(tracker.stillRenewed(1, renewal)).isTrue();
    advanceMillis(5999);
    tracker.tick();
    assertThat(proposed).isEmpty();
    advanceMillis(1);
    tracker.tick();
    assertThat(proposed).hasSize(1);
  }

  @Test
  void onceExpiringAKeepAliveIsRefusedAndAnEarlierRenewalNoLongerHolds() {
    stored.add(session(1, 6000));
    tracker.onLeaderReady(3);
    SessionTracker.KeepAlive early = tracker.keepAlive(1);
    nextResult = new CompletableFuture<>();
    advanceMillis(6000);
    tracker.tick();
    assertThat(tracker.keepAlive(1).outcome()).isEqualTo(SessionTracker.Outcome.EXPIRING);
    assertThat(tracker.stillRenewed(1, early)).isFalse();
    assertThat(tracker.remainingMs(1)).isZero();
    tracker.ended(1);
    assertThat(tracker.keepAlive(1).outcome()).isEqualTo(SessionTracker.Outcome.GONE);
  }

  /** Session 1 (TTL 6 s) past its deadline, its expiry proposed and not yet decided. */
  private SessionTracker.KeepAlive keepAliveWhileExpiring() {
    stored.add(session(1, 6000));
    tracker.onLeaderReady(3);
    nextResult = new CompletableFuture<>();
    advanceMillis(6000);
    tracker.tick();
    return tracker.keepAlive(1);
  }

  @Test
  void aKeepAliveOfAnExpiringSessionLearnsTheEndOnlyOnceTheExpiryIsApplied() {
    SessionTracker.KeepAlive refused = keepAliveWhileExpiring();
    assertThat(refused.outcome()).isEqualTo(SessionTracker.Outcome.EXPIRING);
    assertThat(refused.expiry()).isNotDone();
    nextResult.complete(CommandResult.newBuilder().setExpireSessions(
        ExpireSessionsResult.newBuilder().addExpired(1)).build());
    assertThat(refused.expiry()).isCompletedWithValue(true);
  }

  @Test
  void aStaleOrFailedExpiryIsNoEndForTheKeepAlivesThatWaitedOnIt() {
    SessionTracker.KeepAlive stale = keepAliveWhileExpiring();
    nextResult.complete(CommandResult.newBuilder().setExpireSessions(
        ExpireSessionsResult.newBuilder().setStale(true)).build());
    assertThat(stale.expiry()).isCompletedWithValue(false);

    nextResult = new CompletableFuture<>();
    advanceMillis(SessionTracker.REPROPOSE_AFTER_MS);
    tracker.tick();
    SessionTracker.KeepAlive failed = tracker.keepAlive(1);
    assertThat(failed.expiry()).isNotDone();
    nextResult.completeExceptionally(new IllegalStateException("no leader"));
    assertThat(failed.expiry()).isCompletedWithValue(false);
  }

  @Test
  void aFailedExpiryIsProposedAgainButOnlyAfterAPause() {
    stored.add(session(1, 6000));
    tracker.onLeaderReady(3);
    nextResult = CompletableFuture.failedFuture(new IllegalStateException("no leader"));
    advanceMillis(6000);
    tracker.tick();
    advanceMillis(SessionTracker.REPROPOSE_AFTER_MS - 1);
    tracker.tick();
    assertThat(proposed).hasSize(1);
    advanceMillis(1);
    tracker.tick();
    assertThat(proposed).hasSize(2);
  }

  @Test
  void grantsAndEndsAreFollowedOnlyWhileLeading() {
    tracker.granted(5, 6000);
    assertThat(tracker.keepAlive(5).outcome()).isEqualTo(SessionTracker.Outcome.NOT_LEADER);
    tracker.onLeaderReady(2);
    assertThat(tracker.keepAlive(5).outcome()).isEqualTo(SessionTracker.Outcome.GONE);
    tracker.granted(6, 6000);
    assertThat(tracker.keepAlive(6).outcome()).isEqualTo(SessionTracker.Outcome.RENEWED);
    tracker.ended(6);
    assertThat(tracker.keepAlive(6).outcome()).isEqualTo(SessionTracker.Outcome.GONE);
  }

  @Test
  void losingLeadershipForgetsDeadlinesAndInvalidatesRenewals() {
    AtomicInteger deactivations = new AtomicInteger();
    tracker.onDeactivated(deactivations::incrementAndGet);
    stored.add(session(1, 6000));
    tracker.onLeaderReady(4);
    SessionTracker.KeepAlive renewal = tracker.keepAlive(1);
    tracker.onLeadershipLost();
    assertThat(deactivations).hasValue(1);
    assertThat(tracker.stillRenewed(1, renewal)).isFalse();
    assertThat(tracker.keepAlive(1).outcome()).isEqualTo(SessionTracker.Outcome.NOT_LEADER);
    assertThat(tracker.remainingMs(1)).isEqualTo(-1);
    // Leading again, in a later term: the renewal of the earlier period still does not hold.
    tracker.onLeaderReady(6);
    assertThat(tracker.stillRenewed(1, renewal)).isFalse();
    advanceMillis(6000);
    tracker.tick();
    assertThat(proposed.get(0).getExpireSessions().getTerm()).isEqualTo(6);
  }
}
