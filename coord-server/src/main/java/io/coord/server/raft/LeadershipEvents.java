package io.coord.server.raft;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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
  private final List<Runnable> leaderChangeWatchers = new CopyOnWriteArrayList<>();
  private final ExecutorService thread;
  private volatile RaftPeerId leader;
  /** Touched on the event thread only. */
  private boolean ready;
  private long readyTerm;

  LeadershipEvents(String memberName) {
    this.thread = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "coord-leadership-" + memberName);
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Adds a listener; if this member is a ready leader already, the listener is told so first
   * (on the event thread, in order with every other event).
   */
  void addListener(LeadershipListener listener) {
    post(() -> {
      listeners.add(listener);
      if (ready) {
        listener.onLeaderReady(readyTerm);
      }
    });
  }

  /** The leader this member last heard of, or null. */
  RaftPeerId leader() {
    return leader;
  }

  /**
   * Runs {@code watcher} on Ratis's thread whenever this member learns of a new leader (or of
   * none): it must return at once.
   */
  void onLeaderChange(Runnable watcher) {
    leaderChangeWatchers.add(watcher);
  }

  void leaderChanged(RaftPeerId self, RaftPeerId newLeader) {
    leader = newLeader;
    leaderChangeWatchers.forEach(Runnable::run);
    if (!self.equals(newLeader)) {
      post(this::lost);
    }
  }

  /** This member became a ready leader of {@code term} (the term of its startup entry). */
  void leaderReady(long term) {
    post(() -> {
      ready = true;
      readyTerm = term;
      LOG.info("leader ready in term {}", term);
      for (LeadershipListener listener : listeners) {
        listener.onLeaderReady(term);
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
