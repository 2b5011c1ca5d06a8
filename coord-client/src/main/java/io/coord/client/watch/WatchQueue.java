package io.coord.client.watch;

import io.coord.client.CoordException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A watch read by pulling: {@link #take()} or {@link #poll(Duration)} the next
 * {@link WatchUpdate}. Holds at most its capacity; when full, the watch waits for the consumer
 * (the member parks it and catches it up later), so nothing is lost. Created by
 * {@link WatchClient#queue}; close it to stop. Thread-safe.
 */
public final class WatchQueue implements AutoCloseable {
  private final BlockingQueue<WatchUpdate> updates;
  private volatile boolean closed;
  private volatile Watcher watcher;

  WatchQueue(int capacity) {
    this.updates = new ArrayBlockingQueue<>(capacity);
  }

  void attach(Watcher watcher) {
    this.watcher = watcher;
  }

  /** The watcher underneath (for its revision and counters). */
  public Watcher watcher() {
    return watcher;
  }

  /** Waits for the next update. */
  public WatchUpdate take() throws InterruptedException {
    return updates.take();
  }

  /** Waits up to {@code timeout} for the next update; null if none came. */
  public WatchUpdate poll(Duration timeout) throws InterruptedException {
    return updates.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  WatchListener listener() {
    return new WatchListener() {
      @Override
      public void onEvents(long revision, List<WatchEvent> events) {
        put(new WatchUpdate(WatchUpdate.Kind.EVENTS, revision, events, null));
      }

      @Override
      public void onProgress(long revision) {
        put(new WatchUpdate(WatchUpdate.Kind.PROGRESS, revision, List.of(), null));
      }

      @Override
      public void onCompacted(long compactRevision) {
        put(new WatchUpdate(WatchUpdate.Kind.COMPACTED, compactRevision, List.of(), null));
      }

      @Override
      public void onError(CoordException error) {
        put(new WatchUpdate(WatchUpdate.Kind.ERROR, 0, List.of(), error));
      }
    };
  }

  /** Blocks the watch's delivery (not a gRPC thread) until there is room or the queue closes. */
  private void put(WatchUpdate update) {
    try {
      while (!closed && !updates.offer(update, 100, TimeUnit.MILLISECONDS)) {
        // Full: the consumer is behind; the watch waits for it.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closed = true;
    Watcher current = watcher;
    if (current != null) {
      current.close();
    }
  }
}
