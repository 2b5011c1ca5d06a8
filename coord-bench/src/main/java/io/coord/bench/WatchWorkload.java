package io.coord.bench;

import io.coord.bench.driver.Driver;
import io.coord.bench.harness.ClosedLoop;
import io.coord.bench.harness.Operation;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The watch workload: N watchers of a prefix, and a writer (the closed loop's operation)
 * putting fresh keys under it. What is measured is delivery: each event a watcher receives
 * counts as one operation, its latency running from the put's issue to the event. Puts are
 * counted only when they fail.
 */
final class WatchWorkload implements Operation {
  private final Driver driver;
  private final String prefix;
  private final byte[] value;
  private final AtomicLongArray issuedAt;
  private ClosedLoop loop;

  WatchWorkload(Driver driver, String prefix, byte[] value, long maxOps) {
    this.driver = driver;
    this.prefix = prefix + "/";
    this.value = value;
    this.issuedAt = new AtomicLongArray((int) Math.min(maxOps, 4_000_000));
  }

  /** Starts the watchers; the returned handle stops them. */
  AutoCloseable start(int watchers, ClosedLoop loop) throws Exception {
    this.loop = loop;
    loop.recordSuccesses(false);
    return driver.watch(prefix, watchers, this::onEvent);
  }

  @Override
  public CompletableFuture<?> start(int slot, long seq) {
    if (seq >= issuedAt.length()) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("watch writer went past its key budget"));
    }
    issuedAt.set((int) seq, System.nanoTime());
    return driver.put(prefix + seq, value);
  }

  private void onEvent(String key) {
    long now = System.nanoTime();
    int slash = key.lastIndexOf('/');
    if (slash < 0 || !key.startsWith(prefix)) {
      return;
    }
    long seq;
    try {
      seq = Long.parseLong(key.substring(slash + 1));
    } catch (NumberFormatException notOurs) {
      return;
    }
    if (seq < issuedAt.length()) {
      loop.currentPhase().success(now - issuedAt.get((int) seq));
    }
  }
}
