package io.coord.server.raft;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.apache.ratis.protocol.RaftPeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns Ratis's leadership notifications (delivered under Ratis locks, on any member) into
 * ordered {@link LeadershipListener} calls on one dedicated thread.
 */
final class LeadershipEvents implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeadershipEvents.class);

  private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
  private final ExecutorService thread;
  private volatile LongSupplier term = () -> 0;
  private volatile RaftPeerId leader;
  private boolean ready;

  LeadershipEvents(String memberName) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "coord-leadership-" + memberName);
      t.setDaemon(true);
      return t;
    });
  }

  void setTermSupplier(LongSupplier term) {
    this.term = term;
  }

  void addListener(LeadershipListener listener) {
    listeners.add(listener);
  }

  /** The leader this member last heard of, or null. */
  RaftPeerId leader() {
    return leader;
  }

  void leaderChanged(RaftPeerId self, RaftPeerId newLeader) {
    leader = newLeader;
    if (!self.equals(newLeader)) {
      post(this::lost);
    }
  }

  void leaderReady() {
    post(() -> {
      ready = true;
      long currentTerm = term.getAsLong();
      LOG.info("leader ready in term {}", currentTerm);
      for (LeadershipListener listener : listeners) {
        listener.onLeaderReady(currentTerm);
      }
    });
  }

  void notLeader() {
    post(this::lost);
  }

  private void lost() {
    if (!ready) {
      return;
    }
    ready = false;
    LOG.info("leadership lost");
    for (LeadershipListener listener : listeners) {
      listener.onLeadershipLost();
    }
  }

  private void post(Runnable event) {
    try {
      thread.execute(() -> {
        try {
          event.run();
        } catch (RuntimeException e) {
          LOG.error("leadership listener failed", e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      // Stopping: no more leadership events matter.
    }
  }

  @Override
  public void close() {
    post(this::lost);
    thread.shutdown();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
