package io.coord.client.watch;

import com.google.protobuf.ByteString;
import io.coord.client.CoordException;
import io.coord.client.kv.GetResult;
import io.coord.client.kv.KvClient;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * List-then-watch done right: a linearizable read of the range at revision R, then a watch
 * from R + 1, and a fresh read whenever the watch meets compacted history. Created by
 * {@link WatchClient#listAndWatch}; close it to stop. Thread-safe.
 */
public final class ListWatch implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ListWatch.class.getName());
  private static final long RETRY_MS = 500;

  private final WatchClient client;
  private final ByteString key;
  private final WatchOptions options;
  private final ListWatchListener listener;
  private final Object lock = new Object();
  private Watcher watcher;
  private boolean closed;
  private int snapshots;

  ListWatch(WatchClient client, ByteString key, WatchOptions options,
      ListWatchListener listener) {
    this.client = client;
    this.key = key;
    this.options = options;
    this.listener = listener;
  }

  void start() {
    submit(this::listThenWatch, 0);
  }

  /** How many snapshots were delivered (1 + the number of restarts after compaction). */
  public int snapshots() {
    synchronized (lock) {
      return snapshots;
    }
  }

  private void listThenWatch() {
    synchronized (lock) {
      if (closed) {
        return;
      }
    }
    GetResult read;
    try {
      read = KvClient.await(client.kv().getAsync(key, client.readOptions(key, options)));
    } catch (CoordException e) {
      LOG.log(Level.FINE, "listing the range failed; retrying", e);
      submit(this::listThenWatch, RETRY_MS);
      return;
    }
    long revision = read.header().revision();
    synchronized (lock) {
      if (closed) {
        return;
      }
      snapshots++;
    }
    listener.onSnapshot(revision, read.kvs());
    Watcher next = client.watch(key, options.withStartRevision(revision + 1),
        new WatchListener() {
          @Override
          public void onEvents(long eventRevision, List<WatchEvent> events) {
            listener.onEvents(eventRevision, events);
          }

          @Override
          public void onProgress(long progressRevision) {
            listener.onProgress(progressRevision);
          }

          @Override
          public void onCompacted(long compactRevision) {
            submit(ListWatch.this::listThenWatch, 0);
          }

          @Override
          public void onError(CoordException error) {
            listener.onError(error);
          }
        });
    synchronized (lock) {
      if (!closed) {
        watcher = next;
        return;
      }
    }
    next.close();
  }

  private void submit(Runnable task, long delayMs) {
    try {
      client.scheduler().schedule(() -> client.listenerPool().execute(task), delayMs,
          TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException clientClosed) {
      close();
    }
  }

  @Override
  public void close() {
    Watcher current;
    synchronized (lock) {
      closed = true;
      current = watcher;
      watcher = null;
    }
    if (current != null) {
      current.close();
    }
  }
}
