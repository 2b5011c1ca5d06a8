package io.coord.client.election;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a task while this client leads an election, like Curator's LeaderSelector: each time it
 * is elected it calls {@link Task#lead(Leadership)} on a thread of its own; when the task
 * returns it resigns and campaigns again. If leadership is lost meanwhile (its session LOST,
 * declared before the server can elect anyone else), the task's thread is interrupted: the
 * task must stop promptly and should guard its writes with {@link Leadership#fence()}, which
 * the server refuses once the next leader is elected. Get one from
 * {@link ElectionClient#selector}; close it to leave the election. Thread-safe.
 */
public final class LeaderSelector implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(LeaderSelector.class.getName());

  /** The work of a leader. */
  @FunctionalInterface
  public interface Task {
    /**
     * Runs while this client leads; return to step down. Interrupted when leadership is lost
     * (or the selector closed).
     */
    void lead(Leadership leadership) throws Exception;
  }

  private final Campaigner campaigner;
  private final Task task;
  private volatile Thread worker;
  private volatile Leadership current;

  LeaderSelector(Campaigner campaigner, Task task) {
    this.campaigner = campaigner;
    this.task = task;
  }

  /** Starts campaigning; returns this selector. */
  public LeaderSelector start() {
    campaigner.start(new Campaigner.Callback() {
      @Override
      public void elected(Leadership leadership) {
        current = leadership;
        Thread thread = new Thread(() -> lead(leadership),
            "coord-leader-" + campaigner.name() + "-term-" + leadership.term());
        thread.setDaemon(true);
        worker = thread;
        thread.start();
      }

      @Override
      public void ended(Leadership leadership) {
        if (current == leadership) {
          current = null;
        }
        Thread thread = worker;
        if (thread != null) {
          thread.interrupt();
        }
      }
    });
    return this;
  }

  private void lead(Leadership leadership) {
    try {
      task.lead(leadership);
    } catch (InterruptedException stopped) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "leader task of " + leadership + " failed; resigning", e);
    } finally {
      campaigner.resignAndCampaign(leadership);
    }
  }

  /** True while this selector leads (and its session is not LOST). */
  public boolean isLeader() {
    Leadership now = current;
    return now != null && now.isLeader();
  }

  /** Leaves the election: interrupts the task if it runs, resigns, revokes the session. */
  @Override
  public void close() {
    campaigner.close();
    Thread thread = worker;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
