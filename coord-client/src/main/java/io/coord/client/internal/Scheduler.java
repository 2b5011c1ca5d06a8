package io.coord.client.internal;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Time and one serial thread of work: everything run through a scheduler runs one task at a
 * time, in order. Injectable, so time-driven logic can be tested with a manual clock.
 */
public interface Scheduler extends AutoCloseable {
  /** Monotonic nanoseconds; meaningful only as differences. */
  long nanoTime();

  /** Runs {@code task} soon, after the tasks already submitted. */
  void execute(Runnable task);

  /** Runs {@code task} after {@code delayNanos}; the returned handle cancels it. */
  Cancellable schedule(Runnable task, long delayNanos);

  @Override
  void close();

  /** A scheduled task that can be called off. */
  @FunctionalInterface
  interface Cancellable {
    void cancel();
  }

  /** A scheduler on one daemon thread named {@code threadName}, on {@link System#nanoTime()}. */
  static Scheduler system(String threadName) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
    return new Scheduler() {
      @Override
      public long nanoTime() {
        return System.nanoTime();
      }

      @Override
      public void execute(Runnable task) {
        try {
          executor.execute(task);
        } catch (RejectedExecutionException closed) {
          // Closed: nothing runs any more.
        }
      }

      @Override
      public Cancellable schedule(Runnable task, long delayNanos) {
        try {
          ScheduledFuture<?> future = executor.schedule(task, Math.max(0, delayNanos),
              TimeUnit.NANOSECONDS);
          return () -> future.cancel(false);
        } catch (RejectedExecutionException closed) {
          return () -> { };
        }
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
