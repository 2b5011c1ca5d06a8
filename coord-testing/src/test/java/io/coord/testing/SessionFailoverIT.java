package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import io.coord.client.kv.PutOptions;
import io.coord.client.session.EndReason;
import io.coord.client.session.EndedSession;
import io.coord.client.session.Grant;
import io.coord.client.session.Session;
import io.coord.client.session.SessionState;
import io.coord.server.config.ConfigKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sessions across leader changes: kept alive through failovers, expired in bounded time. */
@Timeout(300)
class SessionFailoverIT {
  /** The minimum TTL of the test cluster (5 x election-timeout-max 1200 ms, rounded up). */
  private static final Duration TTL = Duration.ofSeconds(6);
  private static final Duration ELECTION_TIMEOUT_MAX = Duration.ofMillis(1200);
  /**
   * Time the expiry may take beyond its bound on this machine: the leader's expiry check period
   * (100 ms), committing the expiry, stopping the old leader in-process, and scheduling delays
   * of a loaded 2-core test machine.
   */
  private static final Duration SLACK = Duration.ofSeconds(1);

  private CoordTestCluster cluster;
  private CoordClient client;

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.ELECTION_TIMEOUT_MAX, ELECTION_TIMEOUT_MAX.toMillis() + "ms")
        .build().start();
    cluster.awaitReady();
    client = cluster.newClient();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private List<String> keys(String prefix) {
    return client.kv().get(prefix, GetOptions.builder().prefix().build()).kvs().stream()
        .map(KeyValue::keyString).toList();
  }

  @Test
  void aKeptAliveSessionSurvivesFiveLeaderKillsWithItsKeys() {
    Session session = client.sessions().grant(TTL);
    assertThat(session.ttl()).isEqualTo(TTL);
    List<SessionState> states = new CopyOnWriteArrayList<>();
    session.addListener((s, state) -> states.add(state));
    PutOptions attached = PutOptions.builder().session(session.id()).build();
    for (int i = 0; i < 3; i++) {
      client.kv().put("eph/" + i, "v" + i, attached);
    }

    for (int kill = 1; kill <= 5; kill++) {
      String leader = cluster.awaitLeader().name();
      cluster.stop(leader);
      String next = cluster.awaitLeader().name();
      assertThat(next).isNotEqualTo(leader);
      long newLeaderKnown = System.nanoTime();
      cluster.start(leader);
      // The session is renewed by a keep-alive sent after the new leader took over, before the
      // next kill.
      Renewals.awaitRenewedSince(session, newLeaderKnown, TTL);
      assertThat(session.isLost()).as("lost after kill " + kill).isFalse();
      cluster.awaitLeader();
    }

    assertThat(states).doesNotContain(SessionState.LOST);
    assertThat(keys("eph/")).containsExactly("eph/0", "eph/1", "eph/2");
    var info = client.sessions().timeToLive(session.id(), true).live().orElseThrow();
    assertThat(info.keyCount()).isEqualTo(3);
    session.close();
    assertThat(keys("eph/")).isEmpty();
  }

  @Test
  void anAbandonedSessionExpiresInBoundedTimeEvenWhenTheLeaderIsKilledMeanwhile() {
    Grant grant = client.sessions().grantId(TTL);
    PutOptions attached = PutOptions.builder().session(grant.id()).build();
    for (int i = 0; i < 3; i++) {
      client.kv().put("abandoned/" + i, "v", attached);
    }
    client.kv().put("abandoned/plain", "v");
    // The last keep-alive: the server cannot expire the session earlier than TTL after it.
    Instant lastKeepAlive = Instant.now();
    assertThat(client.sessions().keepAliveOnce(grant.id()).alive()).isTrue();

    Instant kill = Instant.now();
    cluster.stop(cluster.awaitLeader().name());

    Awaitility.await().atMost(TTL.multipliedBy(4)).pollInterval(Duration.ofMillis(100))
        .until(() -> client.sessions().timeToLive(grant.id(), false).ended().isPresent());
    EndedSession end = client.sessions().timeToLive(grant.id(), false).ended().orElseThrow();
    assertThat(end.reason()).isEqualTo(EndReason.TTL_EXPIRED);
    assertThat(end.keysDeleted()).isEqualTo(3);
    assertThat(end.endedAt()).as("never earlier than TTL after the last keep-alive")
        .isAfterOrEqualTo(lastKeepAlive.plus(TTL));
    // A new leader restarts every deadline at the full TTL once it is ready, which takes up to
    // two election timeouts after the old leader stops (detection, then the election).
    assertThat(end.endedAt()).as("within TTL + 2 election timeouts (+ slack) of the kill")
        .isBeforeOrEqualTo(kill.plus(TTL).plus(ELECTION_TIMEOUT_MAX.multipliedBy(2))
            .plus(SLACK));
    // Every attached key vanished in the one revision of the end.
    assertThat(client.kv().get("abandoned/", GetOptions.builder().prefix()
        .revision(end.revision() - 1).build()).count()).isEqualTo(4);
    assertThat(keys("abandoned/")).containsExactly("abandoned/plain");
  }

  @Test
  void withoutALeaderAMemberDescribesSessionsFromItsOwnStateWithTheTimeLeftUnknown() {
    Grant grant = client.sessions().grantId(Duration.ofSeconds(60));
    client.kv().put("orphan/k", "v", PutOptions.builder().session(grant.id()).build());
    String leader = cluster.awaitLeader().name();
    String survivor = cluster.members().stream().map(CoordTestCluster.Member::name)
        .filter(n -> !n.equals(leader)).findFirst().orElseThrow();
    CoordClient direct = cluster.newClient(List.of(cluster.member(survivor).clientAddress()));
    // The survivor has applied the grant and the put before it loses its quorum.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        direct.kv().get("orphan/k", GetOptions.builder().serializable().build()).count() == 1);
    for (CoordTestCluster.Member member : cluster.members()) {
      if (!member.name().equals(survivor)) {
        cluster.stop(member.name());
      }
    }

    long started = System.nanoTime();
    var info = direct.sessions().timeToLive(grant.id(), true).live().orElseThrow();
    assertThat(info.remaining()).isEmpty();
    assertThat(info.keyCount()).isEqualTo(1);
    assertThat(direct.sessions().list(false).live()).extracting(s -> s.id())
        .containsExactly(grant.id());
    System.err.println("leaderless TimeToLive and List took "
        + (System.nanoTime() - started) / 1_000_000 + " ms");
  }
}
