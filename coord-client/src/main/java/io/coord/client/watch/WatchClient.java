package io.coord.client.watch;

import com.google.protobuf.ByteString;
import io.coord.client.internal.Transport;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KvClient;
import io.grpc.Channel;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts watches: streams of the changes to a key or range, with etcd's guarantees (ordered,
 * unique, reliable, atomic per revision, resumable, bookmarkable) kept across member failures
 * by automatic resumption. See {@link Watcher} for the details and {@link WatchListener} for
 * what is delivered.
 *
 * <pre>{@code
 * try (Watcher watcher = client.watches().watch("config/", WatchOptions.builder().prefix()
 *     .build(), (revision, events) -> events.forEach(e -> System.out.println(e)))) {
 *   ...
 * }
 * }</pre>
 *
 * <p>Obtained from {@link io.coord.client.CoordClient#watches()}; closed with the client.
 * Thread-safe.
 */
public final class WatchClient implements AutoCloseable {
  private final Transport transport;
  private final KvClient kv;
  private final Set<Watcher> watchers = ConcurrentHashMap.newKeySet();
  private final ExecutorService listenerPool;
  private final ScheduledExecutorService scheduler;

  /** Created by {@link io.coord.client.CoordClient}. */
  public WatchClient(Transport transport, KvClient kv) {
    this.transport = transport;
    this.kv = kv;
    AtomicInteger threads = new AtomicInteger();
    this.listenerPool = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "coord-watch-listener-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "coord-watch-reconnect");
      t.setDaemon(true);
      return t;
    });
  }

  /** Watches {@code key} (or the range the options describe) until the watcher is closed. */
  public Watcher watch(ByteString key, WatchOptions options, WatchListener listener) {
    Watcher watcher = new Watcher(this, options.toRequest(key), listener);
    watchers.add(watcher);
    watcher.start();
    return watcher;
  }

  /** Watches {@code key} (UTF-8) or the range the options describe. */
  public Watcher watch(String key, WatchOptions options, WatchListener listener) {
    return watch(ByteString.copyFromUtf8(key), options, listener);
  }

  /**
   * Watches through a bounded queue instead of a listener: take updates with
   * {@link WatchQueue#take()} or {@link WatchQueue#poll}. When the queue is full the watch
   * waits for the consumer (without losing anything).
   */
  public WatchQueue queue(String key, WatchOptions options, int capacity) {
    WatchQueue queue = new WatchQueue(capacity);
    queue.attach(watch(key, options, queue.listener()));
    return queue;
  }

  /**
   * List-then-watch: reads the range (linearizably) and hands the listener the keys with the
   * read's revision R, then delivers every change after R. If the cluster compacts the history
   * the watch needs (e.g. after a long outage), it reads the range again and goes on from the
   * new read, telling the listener with another {@link ListWatchListener#onSnapshot}: the
   * listener's view stays exact without it ever handling compaction.
   */
  public ListWatch listAndWatch(String key, WatchOptions options, ListWatchListener listener) {
    ListWatch listWatch = new ListWatch(this, ByteString.copyFromUtf8(key), options, listener);
    listWatch.start();
    return listWatch;
  }

  KvClient kv() {
    return kv;
  }

  GetOptions readOptions(ByteString key, WatchOptions options) {
    return GetOptions.builder().rangeEnd(options.rangeEnd(key)).build();
  }

  List<String> endpoints() {
    return transport.endpoints();
  }

  Channel channel(String endpoint) {
    return transport.channel(endpoint);
  }

  ExecutorService listenerPool() {
    return listenerPool;
  }

  ScheduledExecutorService scheduler() {
    return scheduler;
  }

  void forget(Watcher watcher) {
    watchers.remove(watcher);
  }

  /** Watches not yet closed. */
  public int active() {
    return watchers.size();
  }

  /** Closes every watcher. */
  @Override
  public void close() {
    for (Watcher watcher : List.copyOf(watchers)) {
      watcher.close();
    }
    scheduler.shutdownNow();
    listenerPool.shutdown();
  }
}
