package io.coord.chaos.run;

import io.coord.chaos.history.FaultWriter;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Watches who leads (every 250 ms) and logs each change to {@code faults.jsonl} as a
 * {@code leader-change} (start and heal at the moment it was seen, {@code leader} true). These
 * are observations, not injected faults: a new leader restarts every session's TTL, so the
 * session checker's upper bound must know of every leader change, including spontaneous ones
 * and those a nemesis causes on purpose (leadership transfers). A change is logged when it is
 * seen, never before it happened, so the bounds derived from it are never too tight.
 */
final class LeaderMonitor {
  static final String FAULT = "leader-change";

  private final LocalCluster cluster;
  private final FaultWriter faults;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final Thread thread;
  private String leader;
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
        Optional<String> now;
        try {
          now = cluster.leader().map(Member::name);
        } catch (RuntimeException e) {
          continue;
        }
        if (now.isPresent() && !now.get().equals(leader)) {
          String target = (leader == null ? "?" : leader) + "->" + now.get();
          faults.start(FAULT, target, true);
          faults.heal(FAULT, target);
          leader = now.get();
          changes++;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
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
