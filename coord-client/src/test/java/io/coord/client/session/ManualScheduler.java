package io.coord.client.session;

import io.coord.client.internal.Scheduler;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

/** A scheduler on a manual clock: tasks run only when the test advances time or drains. */
final class ManualScheduler implements Scheduler {
  private record Timer(long at, long seq, Runnable task, boolean[] cancelled) {}

  private long now = 1_000_000_000L;
  private long seq;
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>(
      Comparator.comparingLong(Timer::at).thenComparingLong(Timer::seq));

  @Override
  public long nanoTime() {
    return now;
  }

  @Override
  public void execute(Runnable task) {
    ready.add(task);
  }

  @Override
  public Cancellable schedule(Runnable task, long delayNanos) {
    boolean[] cancelled = new boolean[1];
    timers.add(new Timer(now + Math.max(0, delayNanos), seq++, task, cancelled));
    return () -> cancelled[0] = true;
  }

  /** Runs every task that is due now. */
  void drain() {
    while (true) {
      if (!ready.isEmpty()) {
        ready.poll().run();
      } else if (!timers.isEmpty() && timers.peek().at() <= now) {
        Timer timer = timers.poll();
        if (!timer.cancelled()[0]) {
          timer.task().run();
        }
      } else {
        return;
      }
    }
  }

  /** Moves time forward by {@code millis}, running timers in time order on the way. */
  void advanceMillis(long millis) {
    long target = now + TimeUnit.MILLISECONDS.toNanos(millis);
    drain();
    while (!timers.isEmpty() && timers.peek().at() <= target) {
      now = Math.max(now, timers.peek().at());
      drain();
    }
    now = target;
    drain();
  }

  @Override
  public void close() {}
}
