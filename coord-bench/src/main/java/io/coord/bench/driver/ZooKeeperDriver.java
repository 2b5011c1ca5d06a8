package io.coord.bench.driver;

import io.coord.bench.Workload;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.locks.InterProcessMutex;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.ClientCnxnSocketNetty;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.client.ZKClientConfig;

/**
 * ZooKeeper through its own client, matching the reference measurements: one session per
 * server with requests assigned round-robin; put = create PERSISTENT of a fresh znode;
 * linearizable get = {@code sync} then {@code getData} back-to-back on one session (FIFO
 * order makes the read see everything committed before the sync reached the leader);
 * serializable get = plain {@code getData} (served locally, not linearizable); txn =
 * {@code multi(check(version), setData)}. Locks are Curator's {@link InterProcessMutex};
 * a session is a new ZooKeeper session (a quorum write; Netty client socket, see
 * {@link #session}), kept alive by its pings, then closed (another quorum write); watches are persistent recursive watches, one session per watcher.
 */
public final class ZooKeeperDriver implements Driver {
  private static final int SESSION_TIMEOUT_MS = 10_000;
  private static final long CONNECT_TIMEOUT_S = 30;
  private static final byte[] EMPTY = new byte[0];

  private final List<String> servers;
  private final List<ZooKeeper> sessions = new ArrayList<>();
  private final AtomicInteger next = new AtomicInteger();
  private final Map<String, Integer> versions = new ConcurrentHashMap<>();
  private final Map<String, InterProcessMutex> mutexes = new ConcurrentHashMap<>();
  private final List<CuratorFramework> curators = new ArrayList<>();
  private final ExecutorService blocking = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "zk-bench-blocking");
    t.setDaemon(true);
    return t;
  });

  /** Connects one session to each of {@code servers} (host:port). */
  public ZooKeeperDriver(List<String> servers) throws Exception {
    this.servers = List.copyOf(servers);
    for (String server : servers) {
      sessions.add(connect(server));
    }
  }

  private static ZooKeeper connect(String server) throws Exception {
    CountDownLatch connected = new CountDownLatch(1);
    ZooKeeper zk = new ZooKeeper(server, SESSION_TIMEOUT_MS, event -> {
      if (event.getState() == Watcher.Event.KeeperState.SyncConnected) {
        connected.countDown();
      }
    });
    if (!connected.await(CONNECT_TIMEOUT_S, TimeUnit.SECONDS)) {
      zk.close();
      throw new IllegalStateException("no ZooKeeper session with " + server + " within "
          + CONNECT_TIMEOUT_S + " s");
    }
    return zk;
  }

  @Override
  public String system() {
    return "zookeeper";
  }

  @Override
  public Set<Workload> supported() {
    return EnumSet.allOf(Workload.class);
  }

  private ZooKeeper session() {
    return sessions.get(Math.floorMod(next.getAndIncrement(), sessions.size()));
  }

  static String path(String key) {
    String path = "/" + key;
    return path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1)
        : path;
  }

  @Override
  public void prepare(String prefix) throws Exception {
    ZooKeeper zk = sessions.get(0);
    StringBuilder path = new StringBuilder();
    for (String part : path(prefix).substring(1).split("/")) {
      path.append('/').append(part);
      try {
        zk.create(path.toString(), EMPTY, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
      } catch (KeeperException.NodeExistsException exists) {
        // Already there: fine.
      }
    }
  }

  @Override
  public CompletableFuture<?> put(String key, byte[] value) {
    CompletableFuture<String> done = new CompletableFuture<>();
    session().create(path(key), value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
        (rc, path, ctx, name) -> complete(done, rc, path, name), null);
    return done;
  }

  @Override
  public CompletableFuture<?> get(String key, boolean linearizable) {
    ZooKeeper zk = session();
    String path = path(key);
    CompletableFuture<byte[]> done = new CompletableFuture<>();
    if (linearizable) {
      zk.sync(path, (rc, p, ctx) -> {
        if (rc != Code.OK.intValue()) {
          done.completeExceptionally(KeeperException.create(Code.get(rc), p));
        }
      }, null);
    }
    zk.getData(path, false, (rc, p, ctx, data, stat) -> complete(done, rc, p, data), null);
    return done;
  }

  @Override
  public CompletableFuture<Boolean> compareAndPut(String key, byte[] value) {
    String path = path(key);
    Integer expected = versions.get(key);
    CompletableFuture<Boolean> done = new CompletableFuture<>();
    if (expected == null) {
      session().create(path, value, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT,
          (rc, p, ctx, name) -> {
            if (rc == Code.OK.intValue()) {
              versions.put(key, 0);
            }
            compareOutcome(done, rc, p);
          }, null);
      return done;
    }
    session().multi(List.of(Op.check(path, expected), Op.setData(path, value, -1)),
        (rc, p, ctx, results) -> {
          if (rc == Code.OK.intValue()) {
            versions.put(key, expected + 1);
          }
          compareOutcome(done, rc, p);
        }, null);
    return done;
  }

  private static void compareOutcome(CompletableFuture<Boolean> done, int rc, String path) {
    if (rc == Code.OK.intValue()) {
      done.complete(true);
    } else if (rc == Code.BADVERSION.intValue() || rc == Code.NODEEXISTS.intValue()) {
      done.complete(false);
    } else {
      done.completeExceptionally(KeeperException.create(Code.get(rc), path));
    }
  }

  private static <T> void complete(CompletableFuture<T> done, int rc, String path, T value) {
    if (rc == Code.OK.intValue()) {
      done.complete(value);
    } else {
      done.completeExceptionally(KeeperException.create(Code.get(rc), path));
    }
  }

  @Override
  public CompletableFuture<?> lockUnlock(String name, int slot) {
    InterProcessMutex mutex = mutexes.computeIfAbsent(name + "#" + slot,
        k -> new InterProcessMutex(curator(slot), path(name)));
    return CompletableFuture.runAsync(() -> {
      try {
        mutex.acquire();
        mutex.release();
      } catch (Exception e) {
        throw new IllegalStateException("lock " + name + ": " + e, e);
      }
    }, blocking);
  }

  private synchronized CuratorFramework curator(int slot) {
    if (curators.isEmpty()) {
      for (String server : servers) {
        CuratorFramework curator = CuratorFrameworkFactory.newClient(server, SESSION_TIMEOUT_MS,
            SESSION_TIMEOUT_MS, new RetryOneTime(100));
        curator.start();
        curators.add(curator);
        try {
          if (!curator.blockUntilConnected((int) CONNECT_TIMEOUT_S, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Curator did not connect to " + server);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
    return curators.get(Math.floorMod(slot, curators.size()));
  }

  @Override
  public CompletableFuture<?> session(int slot) {
    String server = servers.get(Math.floorMod(slot, servers.size()));
    CompletableFuture<ZooKeeper> connected = new CompletableFuture<>();
    ZooKeeper zk;
    try {
      // The NIO client socket sleeps a fixed 100 ms in its cleanup on close; the Netty one does
      // not, so the session workload measures the servers rather than that sleep.
      ZKClientConfig config = new ZKClientConfig();
      config.setProperty(ZKClientConfig.ZOOKEEPER_CLIENT_CNXN_SOCKET,
          ClientCnxnSocketNetty.class.getName());
      zk = new ZooKeeper(server, SESSION_TIMEOUT_MS, event -> {
        switch (event.getState()) {
          case SyncConnected -> connected.complete(null);
          case Expired, AuthFailed, Closed -> connected.completeExceptionally(
              new IllegalStateException("session ended: " + event.getState()));
          default -> { }
        }
      }, config);
    } catch (java.io.IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return connected.thenRunAsync(() -> {
      try {
        zk.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }, blocking).whenComplete((ok, error) -> {
      if (error != null) {
        blocking.execute(() -> {
          try {
            zk.close();
          } catch (InterruptedException ignored) {
            Thread.currentThread().interrupt();
          }
        });
      }
    });
  }

  @Override
  public AutoCloseable watch(String prefix, int watchers, Consumer<String> onEvent)
      throws Exception {
    String base = path(prefix);
    List<ZooKeeper> watching = new ArrayList<>();
    try {
      for (int i = 0; i < watchers; i++) {
        ZooKeeper zk = connect(servers.get(i % servers.size()));
        watching.add(zk);
        zk.addWatch(base, (WatchedEvent event) -> {
          if (event.getType() == Watcher.Event.EventType.NodeCreated
              || event.getType() == Watcher.Event.EventType.NodeDataChanged) {
            onEvent.accept(event.getPath().substring(1));
          }
        }, AddWatchMode.PERSISTENT_RECURSIVE);
      }
    } catch (Exception e) {
      closeAll(watching);
      throw e;
    }
    return () -> closeAll(watching);
  }

  private static void closeAll(List<ZooKeeper> zks) {
    for (ZooKeeper zk : zks) {
      try {
        zk.close(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  public void close() {
    curators.forEach(CuratorFramework::close);
    closeAll(sessions);
    blocking.shutdownNow();
  }
}
