package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.CoordTimeoutException;
import io.coord.client.StaleFenceException;
import io.coord.client.kv.Cmp;
import io.coord.client.kv.Op;
import io.coord.client.kv.PutOptions;
import io.coord.client.lock.FencedResource;
import io.coord.client.lock.HeldLock;
import io.coord.client.lock.Lock;
import io.coord.client.lock.LockInfo;
import io.coord.client.lock.LockOptions;
import io.coord.client.lock.LockWaiter;
import io.coord.client.lock.ReadWriteLock;
import io.coord.client.session.Session;
import io.coord.proto.v1.LockAcquireRequest;
import io.coord.proto.v1.LockGrpc;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Locks end to end on one 3-member cluster, with clients attached to different members: grants
 * and tokens, FIFO order, waiters that give up (timeout, cancel, disconnect) leaving the queue,
 * session ends freeing locks, semaphores, read-write locks, breaks and fenced writes.
 */
@Timeout(240)
class LockIT {
  private static final Duration TTL = Duration.ofSeconds(6);
  private static CoordTestCluster cluster;
  /** One client per member, each talking to its member first. */
  private static final List<CoordClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitReady();
    List<String> endpoints = cluster.endpoints();
    for (int i = 0; i < endpoints.size(); i++) {
      List<String> rotated = new ArrayList<>(endpoints.subList(i, endpoints.size()));
      rotated.addAll(endpoints.subList(0, i));
      clients.add(cluster.newClient(rotated));
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static CoordClient client(int i) {
    return clients.get(i % clients.size());
  }

  private static LockInfo inspect(String name) {
    return client(0).locks().inspect(name).orElseThrow();
  }

  private static List<Long> waitingSessions(String name) {
    return client(0).locks().inspect(name).map(i -> i.waiters().stream()
        .map(LockWaiter::session).toList()).orElse(List.of());
  }

  private static void awaitWaiters(String name, int count) {
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
        .until(() -> waitingSessions(name).size() == count);
  }

  @Test
  void aGrantHasATokenThatTheNextGrantExceedsAndInspectShowsTheHolder() {
    HeldLock first = client(0).lock("basic").acquire(Duration.ofSeconds(10));
    LockInfo info = inspect("basic");
    assertThat(info.holders()).singleElement().satisfies(h -> {
      assertThat(h.token()).isEqualTo(first.token());
      assertThat(h.session()).isEqualTo(first.session().id());
    });
    first.release();
    assertThat(client(1).locks().inspect("basic")).isEmpty();
    try (HeldLock second = client(1).lock("basic").acquire(Duration.ofSeconds(10))) {
      assertThat(second.token()).isGreaterThan(first.token());
    }
  }

  @Test
  void tryAcquireOfAHeldLockReturnsNothingAndDoesNotQueue() {
    try (HeldLock held = client(0).lock("try").acquire(Duration.ofSeconds(10))) {
      assertThat(client(1).lock("try").tryAcquire()).isEmpty();
      assertThat(waitingSessions("try")).isEmpty();
      assertThat(held.isHeld()).isTrue();
    }
    Optional<HeldLock> free = client(2).lock("try").tryAcquire();
    assertThat(free).isPresent();
    free.get().release();
  }

  @Test
  void aSessionAcquiringAgainGetsTheSameGrant() {
    try (Session session = client(0).sessions().grant(TTL)) {
      Lock lock = client(0).locks().lock("reentrant",
          LockOptions.builder().session(session).build());
      HeldLock first = lock.acquire(Duration.ofSeconds(5));
      HeldLock again = lock.acquire(Duration.ofSeconds(5));
      assertThat(again.reentrant()).isTrue();
      assertThat(again.token()).isEqualTo(first.token());
      again.release();
      assertThat(client(0).locks().inspect("reentrant")).as("one release frees it").isEmpty();
    }
  }

  @Test
  void waitersAreGrantedInArrivalOrder() throws Exception {
    HeldLock holder = client(0).lock("fifo").acquire(Duration.ofSeconds(10));
    List<String> granted = new CopyOnWriteArrayList<>();
    List<CompletableFuture<Void>> done = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      String who = "waiter-" + i;
      done.add(client(i).lock("fifo").acquireAsync(Duration.ofSeconds(60)).thenAccept(held -> {
        granted.add(who);
        held.release();
      }));
      awaitWaiters("fifo", i + 1);
    }
    holder.release();
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    assertThat(granted).containsExactly("waiter-0", "waiter-1", "waiter-2", "waiter-3",
        "waiter-4");
  }

  @Test
  void aWaiterThatTimesOutHasLeftTheQueueWhenItIsTold() {
    try (HeldLock held = client(0).lock("timeout").acquire(Duration.ofSeconds(10))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> client(1).lock("timeout").acquire(Duration.ofMillis(700)))
          .isInstanceOf(CoordTimeoutException.class);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(700));
      assertThat(waitingSessions("timeout")).isEmpty();
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  void aCancelledWaiterLeavesTheQueue() {
    try (HeldLock held = client(0).lock("cancel").acquire(Duration.ofSeconds(10))) {
      CompletableFuture<HeldLock> waiting = client(2).lock("cancel").acquireAsync(null);
      awaitWaiters("cancel", 1);
      waiting.cancel(true);
      awaitWaiters("cancel", 0);
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  void aWaiterWhoseClientDisconnectsLeavesTheQueue() {
    try (HeldLock held = client(0).lock("gone").acquire(Duration.ofSeconds(10));
         Session session = client(0).sessions().grant(TTL)) {
      // A raw client on another member, so that the member sees the call end.
      ManagedChannel channel = ManagedChannelBuilder.forTarget(cluster.endpoints().get(2))
          .usePlaintext().build();
      CompletableFuture<Throwable> ended = new CompletableFuture<>();
      LockGrpc.newStub(channel).acquire(LockAcquireRequest.newBuilder().setName("gone")
          .setSession(session.id()).build(), new StreamObserver<>() {
            @Override
            public void onNext(io.coord.proto.v1.LockAcquireResponse value) {
              ended.complete(null);
            }

            @Override
            public void onError(Throwable t) {
              ended.complete(t);
            }

            @Override
            public void onCompleted() {}
          });
      awaitWaiters("gone", 1);
      channel.shutdownNow();
      awaitWaiters("gone", 0);
      assertThat(session.isLost()).as("the session itself lives on").isFalse();
      assertThat(held.isHeld()).isTrue();
    }
  }

  @Test
  void aSessionEndFreesItsLocksForTheNextWaiter() throws Exception {
    Session session = client(0).sessions().grant(TTL);
    HeldLock held = client(0).locks().lock("end", LockOptions.builder().session(session)
        .build()).acquire(Duration.ofSeconds(10));
    CompletableFuture<HeldLock> next = client(1).lock("end").acquireAsync(Duration.ofSeconds(60));
    awaitWaiters("end", 1);
    session.close();
    try (HeldLock granted = next.get(30, TimeUnit.SECONDS)) {
      assertThat(granted.token()).isGreaterThan(held.token());
    }
  }

  @Test
  void aWaiterWhoseSessionExpiresIsNeverGrantedAndItsCallSaysWhy() {
    long expiring = client(0).sessions().grantId(TTL).id();
    try (HeldLock held = client(0).lock("expiry").acquire(Duration.ofSeconds(10))) {
      CompletableFuture<io.coord.proto.v1.LockAcquireResponse> waiting = new CompletableFuture<>();
      ManagedChannel channel = ManagedChannelBuilder.forTarget(cluster.endpoints().get(1))
          .usePlaintext().build();
      try {
        LockGrpc.newStub(channel).acquire(LockAcquireRequest.newBuilder().setName("expiry")
            .setSession(expiring).build(), new StreamObserver<>() {
              @Override
              public void onNext(io.coord.proto.v1.LockAcquireResponse value) {
                waiting.complete(value);
              }

              @Override
              public void onError(Throwable t) {
                waiting.completeExceptionally(t);
              }

              @Override
              public void onCompleted() {}
            });
        awaitWaiters("expiry", 1);
        // Nobody keeps the session alive: it expires, withdrawing its wait.
        assertThatThrownBy(() -> waiting.get(TTL.toSeconds() * 4, TimeUnit.SECONDS))
            .hasMessageContaining("NOT_FOUND");
        assertThat(waitingSessions("expiry")).isEmpty();
      } finally {
        channel.shutdownNow();
      }
    }
  }

  @Test
  void aSemaphoreAdmitsItsPermitsAndRefusesAnotherCount() {
    Lock semaphore = client(0).locks().semaphore("sem", 2);
    HeldLock a = semaphore.acquire(Duration.ofSeconds(10));
    HeldLock b = client(1).locks().semaphore("sem", 2).acquire(Duration.ofSeconds(10));
    assertThat(b.token()).isNotEqualTo(a.token());
    assertThat(client(2).locks().semaphore("sem", 2).tryAcquire()).isEmpty();
    assertThatThrownBy(() -> client(2).locks().semaphore("sem", 3).tryAcquire())
        .isInstanceOf(CoordException.class)
        .satisfies(e -> assertThat(((CoordException) e).reason()).isEqualTo("LOCK_MISMATCH"));
    a.release();
    Optional<HeldLock> c = client(2).locks().semaphore("sem", 2).tryAcquire();
    assertThat(c).isPresent();
    b.release();
    c.get().release();
  }

  @Test
  void readersShareAndAWaitingWriterHoldsBackLaterReaders() throws Exception {
    ReadWriteLock rw0 = client(0).locks().readWriteLock("rw");
    ReadWriteLock rw1 = client(1).locks().readWriteLock("rw");
    HeldLock r1 = rw0.readLock().acquire(Duration.ofSeconds(10));
    HeldLock r2 = rw1.readLock().acquire(Duration.ofSeconds(10));
    CompletableFuture<HeldLock> writer = client(2).locks().readWriteLock("rw").writeLock()
        .acquireAsync(Duration.ofSeconds(60));
    awaitWaiters("rw", 1);
    CompletableFuture<HeldLock> lateReader = rw0.readLock().acquireAsync(Duration.ofSeconds(60));
    awaitWaiters("rw", 2);
    r1.release();
    r2.release();
    HeldLock w = writer.get(30, TimeUnit.SECONDS);
    assertThat(lateReader).isNotDone();
    w.release();
    lateReader.get(30, TimeUnit.SECONDS).release();
  }

  @Test
  void breakingALockGrantsTheNextWaiterAndFencesTheOldHolderOff() throws Exception {
    HeldLock stuck = client(0).lock("broken").acquire(Duration.ofSeconds(10));
    CompletableFuture<HeldLock> next = client(1).lock("broken").acquireAsync(null);
    awaitWaiters("broken", 1);
    assertThat(client(2).locks().breakLock("broken", "holder stuck in maintenance"))
        .singleElement().satisfies(h -> assertThat(h.token()).isEqualTo(stuck.token()));
    HeldLock taken = next.get(30, TimeUnit.SECONDS);
    LockInfo info = inspect("broken");
    assertThat(info.lastBreak()).hasValueSatisfying(b ->
        assertThat(b.reason()).isEqualTo("holder stuck in maintenance"));
    assertThatThrownBy(() -> client(0).kv().put("broken/data", "old holder",
        PutOptions.builder().guard(stuck.fence()).build()))
        .isInstanceOf(StaleFenceException.class)
        .satisfies(e -> assertThat(((StaleFenceException) e).currentTokens())
            .containsExactly(taken.token()));
    client(1).kv().put("broken/data", "new holder",
        PutOptions.builder().guard(taken.fence()).build());
    taken.release();
    stuck.release();
  }

  @Test
  void aHolderCutOffFromTheClusterLosesTheLockBeforeAnotherWaiterIsGrantedIt()
      throws Exception {
    List<LinkProxy> links = cluster.endpoints().stream().map(LinkProxy::to).toList();
    CoordClient cutOff = cluster.newClient(links.stream().map(LinkProxy::address).toList());
    Session session = cutOff.sessions().grant(TTL);
    HeldLock held = cutOff.locks().lock("partitioned", LockOptions.builder().session(session)
        .build()).acquire(Duration.ofSeconds(10));
    CompletableFuture<Long> lostNanos = new CompletableFuture<>();
    CompletableFuture<Instant> lostAt = new CompletableFuture<>();
    held.lost().thenAccept(loss -> {
      lostNanos.complete(System.nanoTime());
      lostAt.complete(Instant.now());
    });
    CompletableFuture<HeldLock> next = client(1).lock("partitioned")
        .acquireAsync(Duration.ofSeconds(60));
    CompletableFuture<Long> grantedNanos = next.thenApply(h -> System.nanoTime());
    awaitWaiters("partitioned", 1);
    try {
      links.forEach(LinkProxy::blackhole);
      long lost = lostNanos.get(TTL.toSeconds() * 3, TimeUnit.SECONDS);
      long granted = grantedNanos.get(TTL.toSeconds() * 3, TimeUnit.SECONDS);
      HeldLock taken = next.get();
      assertThat(held.isHeld()).isFalse();
      assertThat(lost).as("the holder heard of its loss before the waiter of its grant")
          .isLessThan(granted);
      // Same clock (one JVM): the loss was signalled no later than the leader granted the lock.
      assertThat(lostAt.get()).as("lost no later than the leader's grant")
          .isBeforeOrEqualTo(taken.heldSince());
      assertThat(taken.token()).isGreaterThan(held.token());

      assertThatThrownBy(() -> client(2).kv().put("partitioned/data", "old holder",
          PutOptions.builder().guard(held.fence()).build()))
          .isInstanceOf(StaleFenceException.class)
          .satisfies(e -> assertThat(((StaleFenceException) e).currentTokens())
              .containsExactly(taken.token()));
      // Once the partition heals, the old holder's own late write is refused as well.
      links.forEach(LinkProxy::restore);
      assertThatThrownBy(() -> cutOff.kv().put("partitioned/data", "old holder, healed",
          PutOptions.builder().guard(held.fence()).build()))
          .isInstanceOf(StaleFenceException.class);
      client(1).kv().put("partitioned/data", "new holder",
          PutOptions.builder().guard(taken.fence()).build());
      assertThat(client(0).kv().get("partitioned/data").first().orElseThrow().valueString())
          .isEqualTo("new holder");
      taken.release();
    } finally {
      links.forEach(LinkProxy::restore);
      held.release();
      links.forEach(LinkProxy::close);
    }
  }

  @Test
  void guardsAndCompareHeldFollowTheGrant() {
    HeldLock held = client(0).lock("guarded").acquire(Duration.ofSeconds(10));
    client(1).kv().put("guarded/x", "1", PutOptions.builder().guard(held.fence()).build());
    assertThat(client(2).kv().txn().when(Cmp.held(held.fence()),
        Cmp.sessionAlive(held.session().id())).then(Op.put("guarded/y", "1")).commit()
        .succeeded()).isTrue();
    held.release();
    assertThatThrownBy(() -> client(1).kv().put("guarded/x", "2",
        PutOptions.builder().guard(held.fence()).build()))
        .isInstanceOf(StaleFenceException.class);
    assertThat(client(2).kv().txn().when(Cmp.held(held.fence()).negate())
        .then(Op.put("guarded/z", "1")).commit().succeeded()).isTrue();
    assertThat(client(0).kv().get("guarded/x").first().orElseThrow().valueString())
        .isEqualTo("1");
  }

  @Test
  void aFencedResourceRefusesAHolderWhoseTokenWasSuperseded() {
    FencedResource<List<String>> store = new FencedResource<>(List.of());
    HeldLock first = client(0).lock("external").acquire(Duration.ofSeconds(10));
    long staleToken = first.token();
    store.write(staleToken, l -> append(l, "first"));
    first.release();
    try (HeldLock second = client(1).lock("external").acquire(Duration.ofSeconds(10))) {
      store.write(second.token(), l -> append(l, "second"));
    }
    assertThatThrownBy(() -> store.write(staleToken, l -> append(l, "late")))
        .isInstanceOf(FencedResource.StaleTokenException.class);
    List<String> written = store.read(l -> l);
    assertThat(written).containsExactly("first", "second");
  }

  @Test
  void badRequestsAreRefusedNamingTheFieldAndAnEndedSessionCannotAcquire() {
    long ended = client(0).sessions().grantId(TTL).id();
    client(0).sessions().revoke(ended);
    ManagedChannel channel = ManagedChannelBuilder.forTarget(cluster.endpoints().get(0))
        .usePlaintext().build();
    try {
      var stub = LockGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> stub.acquire(LockAcquireRequest.newBuilder().setSession(ended)
          .build())).hasMessageContaining("INVALID_ARGUMENT")
          .hasMessageContaining("lock_acquire.name");
      assertThatThrownBy(() -> stub.acquire(LockAcquireRequest.newBuilder().setName("x")
          .setSession(ended).setPermits(3).build()))
          .hasMessageContaining("lock_acquire.permits");
      assertThatThrownBy(() -> stub.acquire(LockAcquireRequest.newBuilder().setName("x")
          .setSession(ended).build())).hasMessageContaining("NOT_FOUND")
          .hasMessageContaining("session " + ended);
      assertThat(client(0).locks().inspect("x")).isEmpty();
    } finally {
      channel.shutdownNow();
    }
  }

  private static List<String> append(List<String> list, String item) {
    List<String> copy = new ArrayList<>(list);
    copy.add(item);
    return copy;
  }
}
