package io.coord.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A partition that drops packets (iptables in network namespaces, as in the chaos runs) stalls
 * the leader's Raft stream to the cut-off follower: its send buffer fills and Ratis's appender
 * waits for the stream, which TCP resumes only at its next, exponentially backed-off
 * retransmission. The leader reconnects such a link ({@code StalledLinkGuard}), and the healed
 * follower catches up within seconds (measured without the guard: 2.8 to 7.0 s after a 7 s
 * partition; with it 0.7 to 1.2 s).
 */
@Timeout(300)
class PartitionHealIT {
  private static final Duration PARTITION = Duration.ofSeconds(10);

  @Test
  void theLeaderReconnectsAStalledLinkAndTheHealedFollowerCatchesUp() throws Exception {
    Path dir = Path.of("target", "chaos-it", "partition-heal");
    ChaosRuns.deleteRecursively(dir);
    Files.createDirectories(dir);
    Progress progress = new Progress(System.err, System.nanoTime());
    try (NamespaceNetwork network = NamespaceNetwork.create(3, dir.resolve("network.txt"));
        LocalCluster cluster = LocalCluster.create(3, network, ChaosRuns.SERVER_JAR, dir,
            Map.of(), List.of(), null, progress)) {
      cluster.startAll();
      cluster.awaitHealthy(Duration.ofSeconds(90));
      Member leader = cluster.awaitLeader(Duration.ofSeconds(30)).orElseThrow();
      Member follower = cluster.members().stream().filter(m -> !m.equals(leader))
          .findFirst().orElseThrow();

      try (CoordClient client = CoordClient.builder().endpoints(cluster.endpoints()).build()) {
        AtomicBoolean writing = new AtomicBoolean(true);
        Thread writer = new Thread(() -> {
          // Fills the leader's stream to the cut-off follower.
          for (int i = 0; i < 1_000_000 && writing.get(); i++) {
            try {
              client.kv().put("heal/" + (i % 256), "x".repeat(200));
            } catch (RuntimeException e) {
              // The next write goes on.
            }
          }
        }, "partition-heal-writer");
        writer.start();
        try {
          progress.say("cutting %s from the leader %s for %s", follower, leader, PARTITION);
          network.cut(leader.index(), follower.index());
          Thread.sleep(PARTITION.toMillis());
          network.healAll();
          long healed = System.nanoTime();
          progress.say("healed");

          long target = cluster.status(leader).commitIndex();
          Optional<Long> caughtUpAfterMs = Optional.empty();
          long deadline = healed + Duration.ofSeconds(40).toNanos();
          while (caughtUpAfterMs.isEmpty() && System.nanoTime() < deadline) {
            if (appliedIndex(cluster, follower) >= target) {
              caughtUpAfterMs = Optional.of((System.nanoTime() - healed) / 1_000_000);
            } else {
              Thread.sleep(50);
            }
          }
          progress.say("%s applied the leader's commit index %d %s ms after the heal", follower,
              target, caughtUpAfterMs.map(String::valueOf).orElse("never (40 s)"));
          assertThat(reconnects(network, leader)).as("stalled links " + leader
              + " reconnected").isPositive();
          assertThat(caughtUpAfterMs).as("ms from the heal until " + follower + " applied what"
              + " the leader had committed").hasValueSatisfying(ms -> assertThat(ms)
              .isLessThan(8_000));
        } finally {
          writing.set(false);
          writer.join();
        }
      }
    }
  }

  private static long reconnects(Network network, Member member) throws Exception {
    String url = "http://" + network.host(member.index()) + ":" + network.ports(member.index())[2]
        + "/metrics";
    String body = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    return body.lines().filter(l -> l.startsWith("coord_server_raft_links_reconnected_total "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1).trim()))
        .findFirst().orElse(-1);
  }

  private static long appliedIndex(LocalCluster cluster, Member member) {
    try {
      return cluster.status(member).appliedIndex();
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
