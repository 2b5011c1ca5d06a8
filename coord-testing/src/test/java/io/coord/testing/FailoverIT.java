package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(300)
class FailoverIT {
  private CoordTestCluster cluster;

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitLeader();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aNewLeaderTakesOverAndNoAcknowledgedWriteIsLost() throws Exception {
    CoordClient client = cluster.newClient();
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      for (int i = 0; writing.get() && i < 100_000; i++) {
        String key = "ack/" + i;
        try {
          client.kv().put(key, "v");
          acknowledged.add(key);
        } catch (CoordException unknownOutcome) {
          // Not acknowledged: may or may not exist; only acknowledged keys must survive.
        }
      }
    });
    writer.start();
    try {
      for (int round = 0; round < 2; round++) {
        int before = acknowledged.size();
        waitUntil(() -> acknowledged.size() >= before + 20);
        String oldLeader = cluster.awaitLeader().name();
        cluster.stop(oldLeader);
        String newLeader = cluster.awaitLeader().name();
        assertThat(newLeader).isNotEqualTo(oldLeader);
        int afterFailover = acknowledged.size();
        waitUntil(() -> acknowledged.size() >= afterFailover + 20);
        cluster.start(oldLeader);
      }
    } finally {
      writing.set(false);
      writer.join();
    }
    var stored = client.kv().get("ack/", GetOptions.builder().prefix().build()).kvs().stream()
        .map(KeyValue::keyString).collect(Collectors.toSet());
    assertThat(stored).containsAll(acknowledged);
    cluster.awaitConverged(Duration.ofSeconds(60));
  }

  @Test
  void aRestartedMemberCatchesUpFromTheLog() {
    CoordClient client = cluster.newClient();
    String follower = cluster.members().stream()
        .filter(m -> !m.name().equals(cluster.awaitLeader().name())).findFirst().orElseThrow()
        .name();
    cluster.stop(follower);
    for (int i = 0; i < 200; i++) {
      client.kv().put("missed/" + i, "v" + i);
    }
    cluster.start(follower);
    String hash = cluster.awaitConverged(Duration.ofSeconds(60));
    assertThat(hash).isNotEmpty();
    CoordClient direct = cluster.newClient(java.util.List.of(
        cluster.member(follower).clientAddress()));
    assertThat(direct.kv().get("missed/", GetOptions.builder().prefix().serializable()
        .minRevision(client.kv().get("missed/199").header().revision()).build()).count())
        .isEqualTo(200);
  }

  @Test
  void theWholeClusterRestartsWithEveryKeyAndRevision() {
    CoordClient client = cluster.newClient();
    for (int i = 0; i < 100; i++) {
      client.kv().put("durable/" + (i % 10), "v" + i);
    }
    var before = client.kv().get("durable/", GetOptions.builder().prefix().build());
    for (var member : cluster.members()) {
      cluster.stop(member.name());
    }
    cluster.start();
    cluster.awaitLeader();
    var after = client.kv().get("durable/", GetOptions.builder().prefix().build());
    assertThat(after.kvs()).isEqualTo(before.kvs());
    assertThat(after.header().revision()).isEqualTo(before.header().revision());
    long next = client.kv().put("durable/next", "x").revision();
    assertThat(next).isEqualTo(before.header().revision() + 1);
  }

  private static void waitUntil(java.util.function.BooleanSupplier condition) {
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(20)).until(condition::getAsBoolean);
  }
}
