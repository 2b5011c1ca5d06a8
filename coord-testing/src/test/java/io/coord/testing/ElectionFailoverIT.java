package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.election.ElectionEvent;
import io.coord.client.election.ElectionObserver;
import io.coord.client.election.LeaderInfo;
import io.coord.server.lock.LockReader;
import io.coord.server.lock.LockSpace;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three campaigner processes: killing the leader's process (SIGKILL) elects the next within
 * its session's TTL plus one election timeout, twice; the last one resigns. Observers on two
 * members see every transition, NO_LEADER included, in order, with increasing terms.
 */
@Timeout(240)
class ElectionFailoverIT {
  private static final int TTL_SECONDS = 6;
  private static final Duration ELECTION_TIMEOUT_MAX = Duration.ofMillis(1200);
  /** Committing the expiry, and scheduling delays of a loaded 2-core test machine. */
  private static final Duration SLACK = Duration.ofSeconds(1);
  private static final String ELECTION = "failover/leader";

  @TempDir
  Path dir;
  private CoordTestCluster cluster;
  private final List<ClientProcess> processes = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3)
        .set(io.coord.server.config.ConfigKeys.ELECTION_TIMEOUT_MAX,
            ELECTION_TIMEOUT_MAX.toMillis() + "ms")
        .build().start();
    cluster.awaitReady();
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (ClientProcess process : processes) {
      process.close();
    }
    cluster.close();
  }

  private ClientProcess campaigner(String value) {
    ClientProcess process = ClientProcess.start(dir, CampaignerProcess.class,
        String.join(",", cluster.endpoints()), ELECTION, value, Integer.toString(TTL_SECONDS));
    processes.add(process);
    return process;
  }

  @Test
  void killingTheLeadersProcessElectsTheNextAndObserversSeeEveryTransition() throws Exception {
    List<ElectionEvent> near = new CopyOnWriteArrayList<>();
    List<ElectionEvent> far = new CopyOnWriteArrayList<>();
    CoordClient first = cluster.newClient(List.of(cluster.endpoints().get(0)));
    CoordClient last = cluster.newClient(List.of(cluster.endpoints().get(2)));
    try (ElectionObserver o1 = first.elections().observe(ELECTION, near::add);
         ElectionObserver o2 = last.elections().observe(ELECTION, far::add)) {
      Awaitility.await().until(() -> near.size() == 1 && far.size() == 1);
      Map<String, ClientProcess> byValue = new HashMap<>();
      ClientProcess c1 = campaigner("c1");
      byValue.put("c1", c1);
      c1.awaitLine("ELECTED", Duration.ofSeconds(60));
      for (String value : List.of("c2", "c3")) {
        ClientProcess next = campaigner(value);
        byValue.put(value, next);
        next.awaitLine("CAMPAIGNING", Duration.ofSeconds(60));
      }
      // Both campaigns are queued (read from a member's applied state) before any kill.
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> queued() == 2);

      String leader = "c1";
      for (int kill = 0; kill < 2; kill++) {
        String killed = leader;
        long killedAt = System.nanoTime();
        byValue.get(killed).signal("KILL");
        Awaitility.await().atMost(Duration.ofSeconds(TTL_SECONDS * 3L))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> currentLeader(near).filter(l -> !l.valueString().equals(killed))
                .isPresent());
        Duration took = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(took).as("next leader after killing " + killed)
            .isLessThanOrEqualTo(Duration.ofSeconds(TTL_SECONDS).plus(ELECTION_TIMEOUT_MAX)
                .plus(SLACK));
        leader = currentLeader(near).orElseThrow().valueString();
        byValue.get(leader).awaitLine("ELECTED", Duration.ofSeconds(30));
      }
      byValue.get(leader).send("resign");
      byValue.get(leader).awaitLine("RESIGNED", Duration.ofSeconds(30));

      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> near.size() == 5
          && far.size() == 5);
      List<String> transitions = describe(near);
      assertThat(transitions.get(0)).isEqualTo("NO_LEADER");
      assertThat(transitions.get(1)).isEqualTo("LEADER c1");
      assertThat(transitions.subList(2, 4)).containsExactlyInAnyOrder("LEADER c2", "LEADER c3");
      assertThat(transitions.get(4)).isEqualTo("NO_LEADER");
      assertThat(describe(far)).containsExactlyElementsOf(transitions);
      List<Long> terms = near.stream().flatMap(e -> e.leader().stream())
          .map(LeaderInfo::term).toList();
      assertThat(terms).hasSize(3).isSorted().doesNotHaveDuplicates();
      assertThat(near.stream().map(ElectionEvent::revision).toList()).isSorted()
          .doesNotHaveDuplicates();
    }
  }

  /** Campaigners waiting in the election's queue, as the first member applied it. */
  private int queued() {
    return cluster.members().get(0).server().stateMachine().read((view, meta) ->
        LockReader.state(view, LockSpace.ELECTION, ELECTION)
            .map(state -> state.getWaitersCount()).orElse(0));
  }

  private static java.util.Optional<LeaderInfo> currentLeader(List<ElectionEvent> events) {
    return events.isEmpty() ? java.util.Optional.empty()
        : events.get(events.size() - 1).leader();
  }

  private static List<String> describe(List<ElectionEvent> events) {
    return events.stream().map(e -> e.leader().map(l -> "LEADER " + l.valueString())
        .orElse("NO_LEADER")).toList();
  }
}
