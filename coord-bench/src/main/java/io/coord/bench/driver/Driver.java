package io.coord.bench.driver;

import io.coord.bench.Workload;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * One system under test (Coord, etcd, ZooKeeper), seen through the operations the workloads
 * need. Every operation is asynchronous: the harness keeps N of them in flight. A driver that
 * lacks an operation leaves it out of {@link #supported()}; its method then fails with
 * {@link UnsupportedWorkloadException} and the harness reports "unsupported", never a number.
 *
 * <p>Keys are plain strings such as {@code bench/r1/put/17}; each driver maps them onto its
 * own namespace (ZooKeeper: {@code /bench/r1/put/17}). Implementations are thread-safe.
 */
public interface Driver extends AutoCloseable {

  /** The system's name in result rows: coord, etcd or zookeeper. */
  String system();

  /** The workloads this driver (and this build of the system) can run. */
  Set<Workload> supported();

  /**
   * Makes {@code prefix} usable as the parent of keys (ZooKeeper needs parent znodes; the
   * others need nothing).
   */
  default void prepare(String prefix) throws Exception {}

  /** Writes {@code key} durably. For ZooKeeper: creates it, so the key must be fresh. */
  CompletableFuture<?> put(String key, byte[] value);

  /** Reads {@code key}: linearizably, or from the contacted member's local state. */
  CompletableFuture<?> get(String key, boolean linearizable);

  /**
   * Writes {@code key} only if its version is still the one this driver last saw (creating
   * it if never seen), as one atomic transaction. Completes with false if the compare failed.
   * Callers never run two of these on one key at once.
   */
  CompletableFuture<Boolean> compareAndPut(String key, byte[] value);

  /** Acquires the lock {@code name}, then releases it. */
  default CompletableFuture<?> lockUnlock(String name, int slot) {
    throw new UnsupportedWorkloadException(system(), Workload.LOCK);
  }

  /** Grants a session (lease), keeps it alive once, revokes it. */
  default CompletableFuture<?> session(int slot) {
    throw new UnsupportedWorkloadException(system(), Workload.SESSION);
  }

  /**
   * Starts {@code watchers} independent server-side watches of every key under
   * {@code prefix}; {@code onEvent} receives the key of each create or change, once per
   * watcher, on any thread. Returns once every watch is established.
   */
  default AutoCloseable watch(String prefix, int watchers, Consumer<String> onEvent)
      throws Exception {
    throw new UnsupportedWorkloadException(system(), Workload.WATCH);
  }

  /** Releases connections and threads. */
  @Override
  void close();
}
