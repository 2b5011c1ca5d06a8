package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import io.coord.client.kv.PutResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(180)
class ReplicationIT {
  private static CoordTestCluster cluster;

  @BeforeAll
  static void startCluster() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitLeader();
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
  }

  @Test
  void writesThroughAnyMemberAreVisibleOnEveryMember() {
    List<String> endpoints = cluster.endpoints();
    for (int i = 0; i < endpoints.size(); i++) {
      CoordClient viaOne = cluster.newClient(List.of(endpoints.get(i)));
      viaOne.kv().put("replicated/" + i, "v" + i);
    }
    for (String endpoint : endpoints) {
      CoordClient reader = cluster.newClient(List.of(endpoint));
      var result = reader.kv().get("replicated/", GetOptions.builder().prefix().build());
      assertThat(result.kvs()).extracting(KeyValue::valueString)
          .containsExactly("v0", "v1", "v2");
    }
  }

  @Test
  void linearizableReadOnAFollowerSeesTheWriteTheLeaderJustAcknowledged() {
    var leader = cluster.awaitLeader();
    List<String> followers = cluster.members().stream()
        .filter(m -> !m.name().equals(leader.name())).map(m -> m.clientAddress()).toList();
    CoordClient writer = cluster.newClient(List.of(leader.clientAddress()));
    CoordClient follower = cluster.newClient(List.of(followers.get(0)));
    for (int i = 0; i < 50; i++) {
      PutResult put = writer.kv().put("lin", Integer.toString(i));
      var read = follower.kv().get("lin");
      assertThat(read.first()).get().extracting(KeyValue::valueString)
          .isEqualTo(Integer.toString(i));
      assertThat(read.header().revision()).isGreaterThanOrEqualTo(put.revision());
    }
  }

  @Test
  void revisionsIncreaseByOnePerWrite() {
    CoordClient client = cluster.newClient();
    List<Long> revisions = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      revisions.add(client.kv().put("rev/" + i, "x").revision());
    }
    for (int i = 1; i < revisions.size(); i++) {
      assertThat(revisions.get(i)).isGreaterThan(revisions.get(i - 1));
    }
    var kv = client.kv().get("rev/9").first().orElseThrow();
    assertThat(kv.modRevision()).isEqualTo(revisions.get(9));
    assertThat(kv.createRevision()).isEqualTo(revisions.get(9));
    assertThat(kv.version()).isEqualTo(1);
  }

  @Test
  void membersConvergeToTheSameState() {
    CoordClient client = cluster.newClient();
    for (int i = 0; i < 20; i++) {
      client.kv().put("converge/" + i, "v");
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(cluster.awaitConverged(Duration.ofSeconds(10))).isNotEmpty());
  }
}
