package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.PutOptions;
import io.coord.client.session.Grant;
import io.coord.client.session.Session;
import io.coord.proto.v1.EndedSession;
import io.coord.server.command.SessionRecord;
import io.coord.server.session.SessionReader;
import io.coord.server.statemachine.CoordStateMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member whose state store starts empty replays the whole Raft log and ends with the same
 * sessions and keys as the others.
 */
@Timeout(180)
class SessionReplayIT {
  private static final Duration TTL = Duration.ofSeconds(6);

  private static List<SessionRecord> live(CoordStateMachine stateMachine) {
    return stateMachine.read((view, meta) -> SessionReader.live(view));
  }

  private static List<EndedSession> ended(CoordStateMachine stateMachine) {
    return stateMachine.read((view, meta) -> SessionReader.ended(view));
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void replayingTheLogOnAFreshMemberGivesTheSameSessionsAndKeys() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      String leader = cluster.awaitReady().name();
      CoordClient client = cluster.newClient();
      Session kept = client.sessions().grant(TTL);
      Grant revoked = client.sessions().grantId(TTL);
      Grant expired = client.sessions().grantId(TTL);
      for (int i = 0; i < 5; i++) {
        client.kv().put("kept/" + i, "v", PutOptions.builder().session(kept.id()).build());
        client.kv().put("revoked/" + i, "v", PutOptions.builder().session(revoked.id()).build());
        client.kv().put("expired/" + i, "v", PutOptions.builder().session(expired.id()).build());
        client.kv().put("plain/" + i, "v");
      }
      client.kv().put("kept/0", "moved", PutOptions.builder().session(revoked.id()).build());
      client.sessions().revoke(revoked.id());
      Awaitility.await().atMost(TTL.multipliedBy(3)).pollInterval(Duration.ofMillis(100))
          .until(() -> client.sessions().timeToLive(expired.id(), false).ended().isPresent());
      long revision = client.kv().put("last", "x").revision();

      String fresh = cluster.members().stream().map(CoordTestCluster.Member::name)
          .filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      // Keep the member's Raft log, drop its state: on restart every entry is applied again to
      // an empty store.
      cluster.stop(fresh);
      deleteRecursively(cluster.dataDir(fresh).resolve("state"));
      cluster.start(fresh);
      cluster.awaitConverged(Duration.ofSeconds(60));

      var replayed = cluster.member(fresh).server().stateMachine();
      var original = cluster.member(leader).server().stateMachine();
      assertThat(replayed.storesReplaced()).as("replayed from the log, not a snapshot").isZero();
      assertThat(replayed.stateHash()).isEqualTo(original.stateHash());
      assertThat(live(replayed)).isEqualTo(live(original)).hasSize(1);
      assertThat(ended(replayed)).isEqualTo(ended(original)).hasSize(2);
      CoordClient direct = cluster.newClient(List.of(cluster.member(fresh).clientAddress()));
      var keys = direct.kv().get("a", GetOptions.builder().fromKey().serializable()
          .minRevision(revision).build()).kvs().stream().map(kv -> kv.keyString()).toList();
      assertThat(keys).containsExactly("kept/1", "kept/2", "kept/3", "kept/4", "last",
          "plain/0", "plain/1", "plain/2", "plain/3", "plain/4");
      assertThat(kept.isLost()).isFalse();
      kept.close();
    }
  }
}
