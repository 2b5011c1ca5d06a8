package io.coord.chaos.run;

import io.coord.chaos.history.FaultWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches who leads and in which term (every 250 ms) and logs each change to
 * {@code faults.jsonl} as a {@code leader-change} (start and heal at the moment it was seen,
 * {@code leader} true), also when the same member was elected again in a later term
 * ({@code n1->n1}). These are observations, not injected faults: every new term of leadership
 * restarts every session's TTL, so the session checker's upper bound must know of each,
 * including spontaneous ones and those a nemesis causes on purpose (leadership transfers). A
 * change is logged when it is seen, never before it happened, so the bounds derived from it are
 * never too tight.
 */
final class LeaderMonitor {
  static final String FAULT = "leader-change";

  private final LocalCluster cluster;
  private final FaultWriter faults;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Thread thread;
  private String leader;
  private long term = -1;
  private int changes;

  LeaderMonitor(LocalCluster cluster, FaultWriter faults, String initialLeader) {
    this.cluster = cluster;
    this.faults = faults;
    this.leader = initialLeader;
    this.thread = new Thread(this::loop, "chaos-leader-monitor");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void loop() {
    try {
      while (!stopping.await(250, TimeUnit.MILLISECONDS)) {
        Optional<LocalCluster.Leadership> now;
        try {
          now = cluster.leadership();
        } catch (RuntimeException e) {
          continue;
        }
        if (now.isPresent()) {
          observe(now.get().member().name(), now.get().term());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Records what one poll saw: {@code name} leads in {@code newTerm}. */
  void observe(String name, long newTerm) {
    boolean sameLeader = name.equals(leader);
    // The first term seen of the initial leader is where watching starts, not a change.
    boolean firstSight = sameLeader && term < 0;
    if (!(sameLeader && newTerm <= term) && !firstSight) {
      String target = (leader == null ? "?" : leader) + "->" + name;
      faults.start(FAULT, target, true);
      faults.heal(FAULT, target);
      changes++;
    }
    leader = name;
    term = Math.max(term, newTerm);
  }

  /** Stops watching; returns the number of changes seen. */
  int stop() {
    stopping.countDown();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return changes;
  }
}
