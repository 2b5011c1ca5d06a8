package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.kv.PutOptions;
import io.coord.client.lock.HeldLock;
import io.coord.client.lock.LockHolder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fence a lock is for: a holder process frozen (SIGSTOP) while it holds a lock stops
 * keeping its session alive, the session expires, the lock passes to another client that
 * writes; when the frozen process resumes and performs the write it had decided on, the server
 * refuses it because its token is no longer current.
 */
@Timeout(180)
class LockFencingIT {
  private static final int TTL_SECONDS = 6;
  private static final String LOCK = "fenced/resource";
  private static final String KEY = "fenced/data";

  @TempDir
  Path dir;
  private CoordTestCluster cluster;

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitReady();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aHolderFrozenPastItsSessionHasItsGuardedWriteRefusedWhenItResumes() throws Exception {
    CoordClient client = cluster.newClient();
    try (ClientProcess holder = ClientProcess.start(dir, HolderProcess.class,
        String.join(",", cluster.endpoints()), LOCK, KEY, Integer.toString(TTL_SECONDS))) {
      String[] holding = holder.awaitLine("HOLDING", Duration.ofSeconds(60)).split(" ");
      long staleToken = Long.parseLong(holding[1]);
      long frozenSession = Long.parseLong(holding[2]);
      assertThat(client.locks().inspect(LOCK).orElseThrow().holders())
          .extracting(LockHolder::token).containsExactly(staleToken);

      holder.signal("STOP");
      // Frozen, it sends no keep-alive: its session expires and its grant with it.
      Awaitility.await().atMost(Duration.ofSeconds(TTL_SECONDS * 4L))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> client.sessions().timeToLive(frozenSession, false).ended().isPresent());
      HeldLock next = client.lock(LOCK).acquire(Duration.ofSeconds(30));
      assertThat(next.token()).isGreaterThan(staleToken);
      client.kv().put(KEY, "written by the new holder",
          PutOptions.builder().guard(next.fence()).build());

      holder.send("write");
      holder.signal("CONT");
      assertThat(holder.awaitLine("", Duration.ofSeconds(60)))
          .isEqualTo("FENCED " + List.of(next.token()));
      assertThat(holder.waitFor(Duration.ofSeconds(30))).isTrue();
      assertThat(client.kv().get(KEY).first().orElseThrow().valueString())
          .isEqualTo("written by the new holder");
      next.release();
    }
  }
}
