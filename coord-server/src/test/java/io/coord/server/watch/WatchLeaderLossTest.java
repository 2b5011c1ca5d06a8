package io.coord.server.watch;

import static io.coord.server.statemachine.StateMachineFixture.put;
import static io.coord.server.watch.HubFixture.watch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.time.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A member that has known no leader past the grace period ends its watch streams with
 * NO_LEADER and refuses new ones until it knows a leader again; time is a fake clock.
 */
@Timeout(60)
class WatchLeaderLossTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration GRACE = Duration.ofMillis(1200);

  @TempDir
  Path dir;

  private final AtomicBoolean leaderKnown = new AtomicBoolean(true);
  private final ManualClock clock = new ManualClock();

  private HubFixture fixture() {
    return new HubFixture(dir.resolve("a"), HubFixture.defaults(),
        new LeaderLoss(clock, leaderKnown::get, GRACE));
  }

  private void advance(Duration by) {
    clock.advance(by);
  }

  @Test
  void streamsEndWithNoLeaderOnlyOnceTheGracePeriodPassedWithoutALeader() {
    try (HubFixture f = fixture()) {
      HubFixture.Sink sink = f.openStream();
      f.hub.create(sink.stream, watch("a").build());
      long id = sink.createdId(0);
      f.apply(put("a", "1"));
      await().atMost(WAIT).until(() -> sink.events(id).size() == 1);

      leaderKnown.set(false);
      f.hub.checkLeader();
      advance(GRACE.minusMillis(1));
      f.hub.checkLeader();
      assertThat(sink.closed).as("closed within the grace period").isFalse();
      // Whatever the member still applies meanwhile is delivered.
      f.apply(put("a", "2"));
      await().atMost(WAIT).until(() -> sink.events(id).size() == 2);

      advance(Duration.ofMillis(1));
      f.hub.checkLeader();
      await().atMost(WAIT).until(() -> sink.closed);
      assertThat(sink.closedWith.reason()).isEqualTo(ErrorReason.NO_LEADER);
      assertThat(sink.closedWith.getMessage()).contains("last revision + 1");
      assertThat(f.hub.stats().streams()).isZero();
      assertThat(f.hub.census()).isEmpty();
    }
  }

  @Test
  void aLeaderSeenWithinTheGraceStartsItAgain() {
    try (HubFixture f = fixture()) {
      HubFixture.Sink sink = f.openStream();
      f.hub.create(sink.stream, watch("a").build());
      sink.createdId(0);
      leaderKnown.set(false);
      f.hub.checkLeader();
      advance(GRACE.dividedBy(2).plusMillis(100));
      f.hub.checkLeader();
      leaderKnown.set(true);
      f.hub.checkLeader();
      leaderKnown.set(false);
      f.hub.checkLeader();
      advance(GRACE.dividedBy(2).plusMillis(100));
      f.hub.checkLeader();
      assertThat(sink.closed).isFalse();
      advance(GRACE);
      f.hub.checkLeader();
      await().atMost(WAIT).until(() -> sink.closed);
      assertThat(sink.closedWith.reason()).isEqualTo(ErrorReason.NO_LEADER);
    }
  }

  @Test
  void newStreamsAndWatchesAreRefusedWhileLeaderlessAndServedOnceALeaderIsKnown() {
    try (HubFixture f = fixture()) {
      HubFixture.Sink early = f.openStream();
      leaderKnown.set(false);
      f.hub.checkLeader();
      advance(GRACE);
      f.hub.checkLeader();
      await().atMost(WAIT).until(() -> early.closed);

      HubFixture.Sink refused = f.openStream();
      await().atMost(WAIT).until(() -> refused.closed);
      assertThat(refused.closedWith.reason()).isEqualTo(ErrorReason.NO_LEADER);
      // A create on a stream that is already gone is not answered.
      f.hub.create(refused.stream, watch("a").build());
      assertThat(refused.responses).isEmpty();

      leaderKnown.set(true);
      f.hub.checkLeader();
      HubFixture.Sink served = f.openStream();
      f.hub.create(served.stream, watch("a").build());
      long id = served.createdId(0);
      f.apply(put("a", "1"));
      await().atMost(WAIT).until(() -> served.events(id).size() == 1);
      assertThat(served.closed).isFalse();
      assertThat(served.responses).noneMatch(WatchResponse::getCanceled);
    }
  }
}
