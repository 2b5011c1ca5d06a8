package io.coord.server.cluster;

import io.coord.server.raft.LeadershipListener;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only, when coord.cluster.auto-promote is on: promotes each learner to voter once it
 * has caught up, checking every second, one change at a time.
 */
public final class AutoPromoter implements LeadershipListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoPromoter.class);

  private final Membership membership;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "coord-auto-promote");
    t.setDaemon(true);
    return t;
  });
  private ScheduledFuture<?> task;

  public AutoPromoter(Membership membership) {
    this.membership = membership;
  }

  @Override
  public synchronized void onLeaderReady(long term) {
    if (task == null) {
      task = timer.scheduleWithFixedDelay(this::check, 1, 1, TimeUnit.SECONDS);
    }
  }

  @Override
  public synchronized void onLeadershipLost() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
  }

  private void check() {
    try {
      membership.promotableLearner().ifPresent(name -> {
        LOG.info("learner {} has caught up: promoting it to voter", name);
        membership.promote(name).join();
      });
    } catch (RuntimeException e) {
      LOG.info("automatic promotion did not happen now: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
