package io.coord.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.kv.GetResult;
import io.coord.client.kv.KeyValue;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A leader cut off from its peers (iptables in network namespaces) goes on believing it leads
 * until it has heard from no majority for the maximum election timeout; the others elect a new
 * leader well before that and acknowledge a newer write. A linearizable read the old leader
 * serves meanwhile must see that write, or fail. Ratis's ReadIndex alone answers such a read at
 * once, from an acknowledgement gathered before the cut, when the leader's commit index has not
 * moved since its last confirmed read: the chaos runs saw it as a stale read from a leader that
 * woke from a SIGSTOP, and this test saw it every time before reads also confirmed the term
 * with a majority ({@code RaftNode.confirmReadTermsWith}).
 */
@Timeout(300)
class StaleLeaderReadIT {
  private static final int CUTS = 2;
  private static final int READS_PER_CUT = 2;
  /** Long enough that the cut-off leader keeps its role while the test reads from it. */
  private static final Map<String, String> SLOW_STEP_DOWN = Map.of(
      "coord.raft.election-timeout-min", "400ms", "coord.raft.election-timeout-max", "4s");

  @Test
  void aLeaderCutOffFromItsPeersServesNoReadThatMissesTheNewLeadersWrites() throws Exception {
    Path dir = ChaosRuns.freshDir("stale-leader-read");
    Progress progress = new Progress(System.err, System.nanoTime());
    List<String> stale = new ArrayList<>();
    int refused = 0;
    try (NamespaceNetwork network = NamespaceNetwork.create(3, dir.resolve("network.txt"));
        LocalCluster cluster = LocalCluster.create(3, network, ChaosRuns.SERVER_JAR, dir,
            SLOW_STEP_DOWN, List.of(), null, progress)) {
      cluster.startAll();
      cluster.awaitHealthy(Duration.ofSeconds(90));
      for (int cut = 1; cut <= CUTS; cut++) {
        Member leader = cluster.awaitLeader(Duration.ofSeconds(30)).orElseThrow();
        List<Member> others = cluster.members().stream().filter(m -> !m.equals(leader))
            .toList();
        String key = "stale/" + cut;
        try (CoordClient majority = client(others.stream().map(Member::clientEndpoint).toList());
            CoordClient cutOff = client(List.of(leader.clientEndpoint()))) {
          majority.kv().put(key, "before");
          // A confirmed read at the leader's commit index, its last before the cut.
          assertThat(value(cutOff.kv().get(key))).isEqualTo("before");
          others.forEach(other -> network.cut(leader.index(), other.index()));
          Awaitility.await("a new leader besides " + leader)
              .atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
              .until(() -> cluster.leader().filter(l -> !l.equals(leader)).isPresent());
          majority.kv().put(key, "after");
          for (int i = 0; i < READS_PER_CUT; i++) {
            try {
              String read = value(cutOff.kv().get(key));
              if (!"after".equals(read)) {
                stale.add(key + " read " + read + " at " + leader);
              }
            } catch (CoordException expected) {
              refused++;
            }
          }
          network.healAll();
          progress.say("cut %d of %s: %d stale reads so far, %d refused", cut, leader,
              stale.size(), refused);
        }
        cluster.awaitHealthy(Duration.ofSeconds(60));
      }
    }
    assertThat(stale).as("reads that missed a write acknowledged before they were sent")
        .isEmpty();
  }

  private static CoordClient client(List<String> endpoints) {
    return CoordClient.builder().endpoints(endpoints).requestTimeout(Duration.ofSeconds(6))
        .attemptTimeout(Duration.ofSeconds(5)).build();
  }

  private static String value(GetResult result) {
    return result.first().map(KeyValue::valueString).orElse("<absent>");
  }
}
