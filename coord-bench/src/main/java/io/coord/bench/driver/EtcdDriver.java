package io.coord.bench.driver;

import io.coord.bench.Workload;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * etcd through jetcd: one client over every endpoint with jetcd's default round-robin load
 * balancing ("all members" in etcd's benchmark terms), as in the reference measurements.
 * Linearizable reads are the default Range (ReadIndex); serializable reads set
 * {@code serializable}. Locks use etcd's Lock API, each in-flight slot under its own lease
 * (granted on first use): etcd's lock key is the lock's name plus the lease, so slots sharing
 * one lease would share one key and all "hold" a contended lock at once.
 */
public final class EtcdDriver implements Driver {
  private static final GetOption LINEARIZABLE = GetOption.builder().build();
  private static final GetOption SERIALIZABLE = GetOption.builder().withSerializable(true)
      .build();
  private static final long LOCK_LEASE_TTL_SECONDS = 3600;
  private static final long SESSION_TTL_SECONDS = 10;

  private final Client client;
  private final KV kv;
  private final Map<String, Long> versions = new ConcurrentHashMap<>();
  private final Map<Integer, CompletableFuture<Long>> lockLeases = new ConcurrentHashMap<>();

  public EtcdDriver(List<String> endpoints) {
    this.client = Client.builder()
        .endpoints(endpoints.stream().map(e -> e.contains("://") ? e : "http://" + e)
            .toArray(String[]::new))
        .build();
    this.kv = client.getKVClient();
  }

  @Override
  public String system() {
    return "etcd";
  }

  @Override
  public Set<Workload> supported() {
    return EnumSet.allOf(Workload.class);
  }

  private static ByteSequence bytes(String s) {
    return ByteSequence.from(s, StandardCharsets.UTF_8);
  }

  @Override
  public CompletableFuture<?> put(String key, byte[] value) {
    return kv.put(bytes(key), ByteSequence.from(value));
  }

  @Override
  public CompletableFuture<?> get(String key, boolean linearizable) {
    return kv.get(bytes(key), linearizable ? LINEARIZABLE : SERIALIZABLE);
  }

  @Override
  public CompletableFuture<Boolean> compareAndPut(String key, byte[] value) {
    long expected = versions.getOrDefault(key, 0L);
    ByteSequence k = bytes(key);
    return kv.txn()
        .If(new Cmp(k, Cmp.Op.EQUAL, CmpTarget.version(expected)))
        .Then(Op.put(k, ByteSequence.from(value), PutOption.DEFAULT))
        .commit()
        .thenApply(r -> {
          if (r.isSucceeded()) {
            versions.put(key, expected + 1);
          }
          return r.isSucceeded();
        });
  }

  @Override
  public CompletableFuture<?> lockUnlock(String name, int slot) {
    return lockLease(slot).thenCompose(lease -> client.getLockClient().lock(bytes(name), lease))
        .thenCompose(locked -> client.getLockClient().unlock(locked.getKey()));
  }

  /** The slot's lease, granted on first use (a failed grant is retried by the next use). */
  private CompletableFuture<Long> lockLease(int slot) {
    CompletableFuture<Long> lease = lockLeases.computeIfAbsent(slot,
        s -> client.getLeaseClient().grant(LOCK_LEASE_TTL_SECONDS).thenApply(r -> r.getID()));
    if (lease.isCompletedExceptionally()) {
      lockLeases.remove(slot, lease);
      return lockLease(slot);
    }
    return lease;
  }

  @Override
  public CompletableFuture<?> session(int slot) {
    var leases = client.getLeaseClient();
    return leases.grant(SESSION_TTL_SECONDS)
        .thenCompose(granted -> leases.keepAliveOnce(granted.getID())
            .thenCompose(alive -> leases.revoke(granted.getID())));
  }

  @Override
  public AutoCloseable watch(String prefix, int watchers, Consumer<String> onEvent)
      throws Exception {
    ByteSequence p = bytes(prefix);
    WatchOption option = WatchOption.builder().isPrefix(true).withCreateNotify(true).build();
    CountDownLatch created = new CountDownLatch(watchers);
    List<Watch.Watcher> started = new ArrayList<>();
    for (int i = 0; i < watchers; i++) {
      started.add(client.getWatchClient().watch(p, option, response -> {
        if (response.isCreatedNotify()) {
          created.countDown();
        }
        for (WatchEvent event : response.getEvents()) {
          onEvent.accept(event.getKeyValue().getKey().toString(StandardCharsets.UTF_8));
        }
      }));
    }
    if (!created.await(30, TimeUnit.SECONDS)) {
      started.forEach(Watch.Watcher::close);
      throw new IllegalStateException("etcd did not confirm " + created.getCount()
          + " of " + watchers + " watches within 30 s");
    }
    return () -> started.forEach(Watch.Watcher::close);
  }

  @Override
  public void close() {
    client.close();
  }
}
