package io.coord.server.watch;

import io.coord.server.error.CoordError;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One client stream: its watches and its outgoing queue. Responses leave in the order they
 * were queued (so a progress notification follows every event it vouches for), only while the
 * client is ready to take them; the sender runs on a shared executor, one drain per stream at a
 * time, never on the apply thread.
 */
public final class WatchStream {
  /** Responses sent per turn on the shared sender before other streams get a go. */
  private static final int SENDS_PER_TURN = 256;

  private final ResponseSink sink;
  private final Executor sender;
  private final Consumer<Watcher> onRoom;
  private final Consumer<WatchStream> onBroken;
  private final Queue<Outgoing> queue = new ConcurrentLinkedQueue<>();
  private final AtomicInteger wip = new AtomicInteger();
  private volatile boolean terminating;
  private volatile CoordError terminalError;
  private boolean finished;

  // Guarded by the hub's lock.
  final Map<Long, Watcher> watchers = new HashMap<>();
  long nextAutoId;
  boolean progressRequested;
  boolean closed;

  WatchStream(ResponseSink sink, Executor sender, Consumer<Watcher> onRoom,
      Consumer<WatchStream> onBroken) {
    this.sink = sink;
    this.sender = sender;
    this.onRoom = onRoom;
    this.onBroken = onBroken;
  }

  /** The client became ready for more: send what is queued. */
  public void onReady() {
    scheduleDrain();
  }

  void enqueue(Outgoing item) {
    Watcher watcher = item.watcher();
    if (watcher != null) {
      watcher.pendingItems.incrementAndGet();
      watcher.pendingEvents.addAndGet(item.events());
      watcher.pendingBytes.addAndGet(item.bytes());
    }
    queue.add(item);
    scheduleDrain();
  }

  /** Ends the stream once: drops what is queued and closes the sink (normally if null). */
  void terminate(CoordError error) {
    if (terminating) {
      return;
    }
    terminalError = error;
    terminating = true;
    scheduleDrain();
  }

  private void scheduleDrain() {
    if (wip.getAndIncrement() == 0) {
      submit();
    }
  }

  private void submit() {
    try {
      sender.execute(this::drain);
    } catch (RejectedExecutionException stopping) {
      wip.set(0);
    }
  }

  private void drain() {
    int missed = 1;
    while (true) {
      if (drainSome()) {
        submit();
        return;
      }
      missed = wip.addAndGet(-missed);
      if (missed == 0) {
        return;
      }
    }
  }

  /** Sends what it may; true if it stopped only to give other streams a turn. */
  private boolean drainSome() {
    if (finished) {
      queue.clear();
      return false;
    }
    if (terminating) {
      finished = true;
      queue.clear();
      try {
        sink.close(terminalError);
      } catch (RuntimeException alreadyGone) {
        // The client is gone; nothing to tell.
      }
      return false;
    }
    for (int sent = 0; sent < SENDS_PER_TURN; sent++) {
      if (!sink.isReady()) {
        return false;
      }
      Outgoing item = queue.poll();
      if (item == null) {
        return false;
      }
      try {
        sink.send(item.response());
      } catch (RuntimeException gone) {
        finished = true;
        queue.clear();
        onBroken.accept(this);
        return false;
      }
      release(item);
    }
    return !queue.isEmpty();
  }

  private void release(Outgoing item) {
    Watcher watcher = item.watcher();
    if (watcher == null) {
      return;
    }
    watcher.pendingItems.decrementAndGet();
    watcher.pendingEvents.addAndGet(-item.events());
    watcher.pendingBytes.addAndGet(-item.bytes());
    if (watcher.waitingForRoom) {
      onRoom.accept(watcher);
    }
  }

  /** Responses queued and not yet sent (for tests and metrics). */
  int queued() {
    return queue.size();
  }
}
