package io.coord.client.election;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Takes part in an election for as long as it is open, like Curator's LeaderLatch: campaigns
 * in the background with a session of its own and, after losing leadership (its session LOST),
 * campaigns again with a new one. {@link #isLeader()}, {@link #awaitLeadership(Duration)} and
 * {@link Listener}s tell where it stands. Loss is reported when the session is LOST, which the
 * client declares before the server can expire the session, hence before anyone else can be
 * elected. Get one from {@link ElectionClient#latch}. Thread-safe.
 *
 * <pre>{@code
 * try (LeaderLatch latch = client.elections().latch("scheduler", "host-1:8080",
 *     Duration.ofSeconds(10)).start()) {
 *   latch.addListener(new LeaderLatch.Listener() {
 *     public void isLeader(Leadership leadership) { scheduler.resume(leadership.fence()); }
 *     public void notLeader() { scheduler.pause(); }
 *   });
 *   ...
 * }   // close() resigns and leaves the election
 * }</pre>
 */
public final class LeaderLatch implements AutoCloseable {
  /** Told of every change, in order, on the latch's thread; keep it short. */
  public interface Listener {
    /** This latch leads now. */
    void isLeader(Leadership leadership);

    /** This latch no longer leads (lost, or closed while leading). */
    void notLeader();
  }

  private final Campaigner campaigner;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Object monitor = new Object();
  private volatile Leadership current;

  LeaderLatch(Campaigner campaigner) {
    this.campaigner = campaigner;
  }

  /** Starts campaigning; returns this latch. */
  public LeaderLatch start() {
    campaigner.start(new Campaigner.Callback() {
      @Override
      public void elected(Leadership leadership) {
        synchronized (monitor) {
          current = leadership;
          monitor.notifyAll();
        }
        listeners.forEach(l -> l.isLeader(leadership));
      }

      @Override
      public void ended(Leadership leadership) {
        synchronized (monitor) {
          if (current == leadership) {
            current = null;
          }
        }
        listeners.forEach(Listener::notLeader);
      }
    });
    return this;
  }

  public void addListener(Listener listener) {
    listeners.add(listener);
  }

  /** True while this latch leads (and its session is not LOST). */
  public boolean isLeader() {
    Leadership now = current;
    return now != null && now.isLeader();
  }

  /** The current leadership, while this latch leads. */
  public Optional<Leadership> leadership() {
    Leadership now = current;
    return now != null && now.isLeader() ? Optional.of(now) : Optional.empty();
  }

  /** Waits until this latch leads; false if it did not within {@code timeout}. */
  public boolean awaitLeadership(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (monitor) {
      while (!isLeader()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        monitor.wait(Math.max(1, left / 1_000_000));
      }
      return true;
    }
  }

  /** Leaves the election: resigns if leading (listeners are told), revokes the session. */
  @Override
  public void close() {
    campaigner.close();
  }
}
