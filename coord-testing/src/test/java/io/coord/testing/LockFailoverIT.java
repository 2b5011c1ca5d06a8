package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.kv.GetResult;
import io.coord.client.kv.PutOptions;
import io.coord.client.lock.HeldLock;
import io.coord.client.lock.Lock;
import io.coord.client.lock.LockOptions;
import io.coord.client.session.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mutual exclusion while leaders are killed: workers on clients attached to different members
 * increment a shared counter under one lock (read, then a write guarded by the grant's token)
 * while the Raft leader is stopped and restarted, again and again. No update is lost, no two
 * workers are ever inside at once, and the tokens of successive holders strictly increase.
 */
@Timeout(300)
class LockFailoverIT {
  private static final String LOCK = "failover/counter";
  private static final String COUNTER = "failover/value";
  private static final int WORKERS = 4;
  private static final int KILLS = 3;

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
  void workersIncrementingUnderTheLockLoseNoUpdateAcrossLeaderKills() throws Exception {
    AtomicReference<String> inside = new AtomicReference<>();
    List<String> violations = new CopyOnWriteArrayList<>();
    List<Long> tokens = new CopyOnWriteArrayList<>();
    AtomicInteger increments = new AtomicInteger();
    AtomicBoolean stopping = new AtomicBoolean();
    List<String> endpoints = cluster.endpoints();
    ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
    List<Future<Integer>> workers = new ArrayList<>();
    for (int w = 0; w < WORKERS; w++) {
      List<String> rotated = new ArrayList<>(endpoints.subList(w % 3, 3));
      rotated.addAll(endpoints.subList(0, w % 3));
      CoordClient client = cluster.newClient(rotated);
      String name = "worker-" + w;
      workers.add(pool.submit(() -> work(name, client, inside, violations, tokens, increments,
          stopping)));
    }

    for (int kill = 0; kill < KILLS; kill++) {
      int before = increments.get();
      awaitProgress(increments, before + 5);
      String leader = cluster.awaitLeader().name();
      cluster.stop(leader);
      cluster.awaitLeader(Duration.ofSeconds(30));
      awaitProgress(increments, increments.get() + 3);
      cluster.start(leader);
    }
    awaitProgress(increments, increments.get() + 5);
    stopping.set(true);
    int done = 0;
    for (Future<Integer> worker : workers) {
      done += worker.get(120, TimeUnit.SECONDS);
    }
    pool.shutdown();

    CoordClient reader = cluster.newClient();
    long counted = Long.parseLong(reader.kv().get(COUNTER).first().orElseThrow().valueString()
        .split(" ")[0]);
    assertThat(violations).isEmpty();
    assertThat(done).isEqualTo(increments.get()).isGreaterThanOrEqualTo(KILLS * 8 + 5);
    assertThat(counted).as("no lost update").isEqualTo(done);
    assertThat(tokens).as("tokens of successive holders").isSorted().doesNotHaveDuplicates()
        .hasSize(done);
  }

  /** Increments until told to stop; returns how many increments it made. */
  private static int work(String name, CoordClient client, AtomicReference<String> inside,
      List<String> violations, List<Long> tokens, AtomicInteger increments,
      AtomicBoolean stopping) {
    Session session = client.sessions().grant(Duration.ofSeconds(10));
    Lock lock = client.locks().lock(LOCK, LockOptions.builder().session(session).build());
    int mine = 0;
    while (!stopping.get()) {
      HeldLock held;
      try {
        held = lock.acquire(Duration.ofSeconds(20));
      } catch (CoordException failoverOrTimeout) {
        continue;
      }
      if (session.isLost()) {
        violations.add(name + " lost its session (the TTL is meant to outlive failovers)");
        return mine;
      }
      if (!inside.compareAndSet(null, name)) {
        violations.add(name + " entered while " + inside.get() + " was inside");
      }
      try {
        if (increment(client, held, tokens, violations)) {
          mine++;
          increments.incrementAndGet();
        }
      } finally {
        inside.set(null);
        release(client, held);
      }
    }
    session.close();
    return mine;
  }

  /** Reads the counter and writes it + 1 with the grant's token; true once it is written. */
  private static boolean increment(CoordClient client, HeldLock held, List<Long> tokens,
      List<String> violations) {
    while (true) {
      try {
        GetResult current = client.kv().get(COUNTER);
        long count = 0;
        long lastToken = 0;
        if (current.first().isPresent()) {
          String[] parts = current.first().get().valueString().split(" ");
          count = Long.parseLong(parts[0]);
          lastToken = Long.parseLong(parts[1]);
        }
        if (lastToken == held.token()) {
          tokens.add(held.token());   // an earlier attempt of this write was applied
          return true;
        }
        if (held.token() < lastToken) {
          violations.add("token " + held.token() + " after " + lastToken);
        }
        client.kv().put(COUNTER, (count + 1) + " " + held.token(),
            PutOptions.builder().guard(held.fence()).build());
        tokens.add(held.token());
        return true;
      } catch (CoordException failover) {
        if (!held.isHeld()) {
          return false;
        }
        if (failover.reason().equals("FENCING_TOKEN_STALE")) {
          violations.add("a guarded write of a held grant was refused: " + failover);
          return false;
        }
      }
    }
  }

  /** Releases the grant, retrying through failovers, so the next acquire is not re-entrant. */
  private static void release(CoordClient client, HeldLock held) {
    while (!held.session().isLost()) {
      try {
        client.locks().release(LOCK, held.token());
        return;
      } catch (CoordException failover) {
        // Try again: another member, or the same once a leader is elected.
      }
    }
  }

  private static void awaitProgress(AtomicInteger increments, int atLeast) {
    Awaitility.await("progress to " + atLeast + " increments").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(20)).until(() -> increments.get() >= atLeast);
  }
}
