package io.coord.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.server.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The guard's decisions, from a given Raft status; the test ticks it by hand. */
class StalledLinkGuardTest {
  private static final Duration SILENCE = Duration.ofMillis(800);

  private final ManualClock clock = new ManualClock();
  private final AtomicReference<RaftStatus> status = new AtomicReference<>();
  private final List<String> reconnected = new CopyOnWriteArrayList<>();
  private final StalledLinkGuard guard = new StalledLinkGuard("n1", status::get,
      reconnected::add, clock, SILENCE, Duration.ofHours(1));

  @AfterEach
  void close() {
    guard.close();
  }

  private static RaftStatus leader(long logStart, Map<String, RaftStatus.FollowerProgress> f) {
    return new RaftStatus("LEADER", 3, "n1", 100, 100, 100, logStart, f);
  }

  private static RaftStatus.FollowerProgress silentFor(long ms, long nextIndex) {
    return new RaftStatus.FollowerProgress(ms, 90, 90, nextIndex);
  }

  /** Ticks once as the leader of the current status, then lets one silence pass. */
  private void ledForASilence() {
    guard.tick();
    clock.advance(SILENCE);
  }

  @Test
  void aSilentLinkIsReconnectedAndAgainEveryTwoSilencesWhileItStaysSilent() {
    status.set(leader(1, Map.of("n2", silentFor(900, 91), "n3", silentFor(100, 101))));
    ledForASilence();
    guard.tick();
    await().atMost(Duration.ofSeconds(5)).until(() -> reconnected.size() == 1
        && !guard.reconnecting("n2"));
    assertThat(reconnected).containsExactly("n2");

    clock.advance(SILENCE);
    guard.tick();
    assertThat(guard.reconnects()).as("not again within two silences").isEqualTo(1);

    clock.advance(SILENCE);
    guard.tick();
    await().atMost(Duration.ofSeconds(5)).until(() -> reconnected.size() == 2);
    assertThat(reconnected).containsExactly("n2", "n2");
  }

  @Test
  void aFollowerOwedASnapshotIsLeftAloneHoweverSilent() {
    status.set(leader(500, Map.of("n2", silentFor(60_000, 120))));
    ledForASilence();
    guard.tick();
    assertThat(guard.reconnects()).isZero();

    status.set(leader(500, Map.of("n2", silentFor(60_000, 501))));
    guard.tick();
    assertThat(guard.reconnects()).as("once it is past the log start").isEqualTo(1);
  }

  @Test
  void aNewLeaderJudgesItsLinksOnlyOnceItHasLedForASilence() {
    status.set(leader(1, Map.of("n2", silentFor(900, 91))));
    guard.tick();
    clock.advance(SILENCE.minusMillis(1));
    guard.tick();
    assertThat(guard.reconnects()).as("silence reported from before the election").isZero();

    clock.advance(Duration.ofMillis(1));
    guard.tick();
    assertThat(guard.reconnects()).isEqualTo(1);

    status.set(new RaftStatus("LEADER", 4, "n1", 100, 100, 100, 1,
        Map.of("n3", silentFor(900, 91))));
    guard.tick();
    assertThat(guard.reconnects()).as("a new term starts the wait again").isEqualTo(1);
  }

  @Test
  void onlyTheLeaderActs() {
    status.set(new RaftStatus("FOLLOWER", 3, "n2", 100, 100, 100, 1, Map.of()));
    guard.tick();
    assertThat(guard.reconnects()).isZero();
    assertThat(reconnected).isEmpty();
  }
}
