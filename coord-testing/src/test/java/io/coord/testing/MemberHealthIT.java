package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.cluster.ClusterHealth;
import io.coord.client.cluster.MemberStatus;
import io.coord.client.session.Session;
import io.coord.server.config.ConfigKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Failure detection of members, on real processes: a member stopped with SIGSTOP (alive but not
 * answering, like a long GC pause or a hung host) is reported unhealthy by Cluster.Health within
 * two election timeouts, plus the health call's own wait for its answer; healthy again after
 * SIGCONT.
 */
@Timeout(300)
class MemberHealthIT {
  private static final Duration ELECTION_TIMEOUT_MAX = Duration.ofMillis(1200);
  /** The bound of the issue: two election timeouts, plus the health call's peer timeout. */
  private static final Duration DETECTION_BOUND = ELECTION_TIMEOUT_MAX.multipliedBy(3);
  /** Scheduling on a loaded 2-core test machine, and the polling of this test. */
  private static final Duration SLACK = Duration.ofMillis(700);

  @TempDir
  static Path dir;
  private static ProcessCluster cluster;

  @BeforeAll
  static void start() {
    cluster = ProcessCluster.start(dir, 3, Map.of(
        ConfigKeys.ELECTION_TIMEOUT_MAX.name(), ELECTION_TIMEOUT_MAX.toMillis() + "ms"));
    try (CoordClient client = client(cluster.endpoints())) {
      Awaitility.await("all members healthy").atMost(Duration.ofSeconds(90))
          .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
          .until(() -> client.cluster().health().healthy());
    } catch (RuntimeException e) {
      throw new IllegalStateException(e.getMessage() + "\nn1 log:\n" + cluster.logTail("n1"), e);
    }
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static CoordClient client(List<String> endpoints) {
    return CoordClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(20))
        .attemptTimeout(Duration.ofSeconds(5)).build();
  }

  private static Optional<MemberStatus> status(ClusterHealth health, String name) {
    return health.members().stream().filter(m -> m.member().name().equals(name)).findFirst();
  }

  private static String leader(CoordClient client) {
    return Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
        .until(() -> client.cluster().members().leader(), Optional::isPresent).get().name();
  }

  /**
   * Stops {@code name}, checks it is reported unhealthy in time, resumes it, checks health.
   *
   * @param leader whether {@code name} leads: then the others are between leaders for a while,
   *     and may rightly be reported unhealthy for knowing no leader
   */
  private static void stopAndResume(String name, boolean leader, CoordClient observer) {
    long stopped = System.nanoTime();
    cluster.signal(name, "STOP");
    try {
      ClusterHealth unhealthy = Awaitility.await(name + " reported unhealthy")
          .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
          .ignoreExceptions()
          .until(() -> observer.cluster().health(), h -> !h.healthy()
              && status(h, name).map(s -> !s.healthy()).orElse(false));
      Duration took = Duration.ofNanos(System.nanoTime() - stopped);
      System.err.println(name + " reported unhealthy " + took.toMillis() + " ms after SIGSTOP: "
          + status(unhealthy, name).map(MemberStatus::reason).orElse("?"));
      assertThat(took).as("detection time").isLessThanOrEqualTo(DETECTION_BOUND.plus(SLACK));
      MemberStatus status = status(unhealthy, name).orElseThrow();
      assertThat(status.reason()).isNotEmpty();
      for (MemberStatus other : unhealthy.unhealthy()) {
        if (!other.member().name().equals(name)) {
          assertThat(leader).as("only the stopped follower is unhealthy: " + other).isTrue();
          assertThat(other.reason()).isEqualTo("no leader known");
        }
      }
    } finally {
      cluster.signal(name, "CONT");
    }
    Awaitility.await(name + " healthy again").atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
        .until(() -> observer.cluster().health().healthy());
  }

  @Test
  void aStoppedFollowerIsReportedUnhealthyThenHealthyAfterItResumes() {
    try (CoordClient client = client(cluster.endpoints())) {
      String leader = leader(client);
      String follower = cluster.names().stream().filter(n -> !n.equals(leader)).findFirst()
          .orElseThrow();
      try (CoordClient observer = client(cluster.endpointsExcept(follower))) {
        stopAndResume(follower, false, observer);
        MemberStatus resumed = status(observer.cluster().health(), follower).orElseThrow();
        assertThat(resumed.role()).isEqualTo("FOLLOWER");
        assertThat(resumed.lastContactMs()).isBetween(0L, ELECTION_TIMEOUT_MAX.toMillis());
        assertThat(resumed.lagEntries()).isGreaterThanOrEqualTo(0);
      }
    }
  }

  @Test
  void aStoppedLeaderIsReportedUnhealthyAndASessionSurvivesTheLeaderChange() {
    try (CoordClient client = client(cluster.endpoints())) {
      String leader = leader(client);
      // Long enough to ride out detection, election and reconnection through a paused leader.
      Session session = client.sessions().grant(Duration.ofSeconds(15));
      try (CoordClient observer = client(cluster.endpointsExcept(leader))) {
        stopAndResume(leader, true, observer);
        assertThat(leader(observer)).isNotEqualTo(leader);
      }
      Renewals.awaitRenewedSince(session, System.nanoTime(), Duration.ofSeconds(15));
      assertThat(session.isLost()).isFalse();
      session.close();
    }
  }
}
