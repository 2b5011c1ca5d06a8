package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.kv.PutOptions;
import io.coord.client.session.EndReason;
import io.coord.client.session.EndedSession;
import io.coord.client.session.Session;
import io.coord.client.session.SessionLoss;
import io.coord.client.session.SessionState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A client cut off from the cluster (through {@link LinkProxy}s) sees its session's states. */
@Timeout(180)
class SessionClientStatesIT {
  private static final Duration TTL = Duration.ofSeconds(6);

  private CoordTestCluster cluster;
  private List<LinkProxy> links;
  private CoordClient cutOff;
  private CoordClient observer;

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitReady();
    links = cluster.endpoints().stream().map(LinkProxy::to).toList();
    cutOff = cluster.newClient(links.stream().map(LinkProxy::address).toList());
    observer = cluster.newClient();
  }

  @AfterEach
  void stop() {
    cluster.close();
    links.forEach(LinkProxy::close);
  }

  /** Records each state with the wall-clock time it was entered. */
  private static final class Recorder {
    final List<SessionState> states = new CopyOnWriteArrayList<>();
    final Map<SessionState, Instant> firstAt = new ConcurrentHashMap<>();

    Recorder(Session session) {
      session.addListener((s, state) -> {
        firstAt.putIfAbsent(state, Instant.now());
        states.add(state);
      });
    }
  }

  /** A session through the links, attached to {@code key}, freshly renewed. */
  private Session connectedSession(String key) {
    Session session = cutOff.sessions().grant(TTL);
    cutOff.kv().put(key, "x", PutOptions.builder().session(session.id()).build());
    // Right after the cluster started, members may still be publishing their addresses and a
    // first keep-alive may fail: start from a session renewed just now.
    Renewals.awaitRenewedSince(session, System.nanoTime(), TTL);
    assertThat(session.state().isConnected()).isTrue();
    return session;
  }

  @Test
  void aClientCutOffGoesSuspendedThenLostBeforeTheServerCouldExpireTheSession() {
    Session session = connectedSession("owned");
    Recorder recorder = new Recorder(session);

    Instant cut = Instant.now();
    links.forEach(LinkProxy::blackhole);

    SessionLoss loss = session.lost().orTimeout(TTL.toSeconds() * 2,
        java.util.concurrent.TimeUnit.SECONDS).join();
    assertThat(loss.reason()).isEqualTo(SessionLoss.Reason.DEADLINE_PASSED);
    assertThat(recorder.states).containsExactly(SessionState.SUSPENDED, SessionState.LOST);
    // Suspended once a keep-alive sent after the cut goes unanswered for an interval (TTL / 3):
    // within two intervals of the cut, plus scheduling slack.
    assertThat(Duration.between(cut, recorder.firstAt.get(SessionState.SUSPENDED)))
        .isLessThan(TTL.dividedBy(3).multipliedBy(2).plusMillis(500));

    // The server expires the session after the client gave it up, never before.
    Awaitility.await().atMost(TTL.multipliedBy(2)).pollInterval(Duration.ofMillis(100))
        .until(() -> observer.sessions().timeToLive(session.id(), false).ended().isPresent());
    EndedSession end = observer.sessions().timeToLive(session.id(), false).ended()
        .orElseThrow();
    assertThat(end.reason()).isEqualTo(EndReason.TTL_EXPIRED);
    assertThat(recorder.firstAt.get(SessionState.LOST)).isBefore(end.endedAt());
    assertThat(observer.kv().get("owned").kvs()).isEmpty();
    links.forEach(LinkProxy::restore);
  }

  @Test
  void reconnectingBeforeTheTtlGivesTheSameSessionBack() {
    Session session = connectedSession("kept");
    Recorder recorder = new Recorder(session);

    links.forEach(LinkProxy::blackhole);
    Awaitility.await().atMost(TTL).pollInterval(Duration.ofMillis(20))
        .until(() -> session.state() == SessionState.SUSPENDED);
    links.forEach(LinkProxy::restore);

    Awaitility.await().atMost(TTL).pollInterval(Duration.ofMillis(20))
        .until(() -> session.state() == SessionState.RECONNECTED);
    assertThat(recorder.states).containsExactly(SessionState.SUSPENDED,
        SessionState.RECONNECTED);
    assertThat(observer.sessions().timeToLive(session.id(), true).live().orElseThrow()
        .keyCount()).isEqualTo(1);
    assertThat(observer.kv().get("kept").kvs()).hasSize(1);
    assertThat(session.timeLeft()).isGreaterThan(TTL.dividedBy(2));
    session.close();
  }
}
