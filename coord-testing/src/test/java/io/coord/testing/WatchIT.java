package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.coord.client.CoordClient;
import io.coord.client.kv.Op;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.WatchQueue;
import io.coord.client.watch.WatchUpdate;
import io.coord.client.watch.Watcher;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.WatchCancelRequest;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.proto.v1.WatchGrpc;
import io.coord.proto.v1.WatchRequest;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.config.ConfigKeys;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Watch semantics on a healthy 3-member cluster (one cluster for the class; each test its keys). */
@Timeout(120)
class WatchIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static CoordTestCluster cluster;
  private static CoordClient client;

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.WATCH_MAX_PER_STREAM, "3")
        .build().start();
    cluster.awaitLeader();
    client = cluster.newClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void theEventsOfATransactionArriveTogetherInTheirOrder() {
    WatchRecorder recorder = new WatchRecorder();
    try (Watcher watcher = client.watch("txn/", WatchOptions.builder().prefix().prevKv().build(),
        recorder)) {
      watcher.created().join();
      client.kv().put("txn/z", "old");
      long revision = client.kv().txn().then(Op.put("txn/c", "1"), Op.put("txn/a", "2"),
          Op.delete("txn/z"), Op.put("txn/b", "3")).commit().header().revision();
      await().atMost(WAIT).until(() -> recorder.eventCount() == 5);
      WatchRecorder.Call txn = recorder.calls.get(1);
      assertThat(txn.revision()).isEqualTo(revision);
      assertThat(txn.events()).extracting(WatchRecorder::line).containsExactly(
          "PUT txn/c=1@" + revision, "PUT txn/a=2@" + revision, "DELETE txn/z@" + revision,
          "PUT txn/b=3@" + revision);
      assertThat(txn.events().get(2).prevKv().valueString()).isEqualTo("old");
    }
  }

  @Test
  void aRevisionLargerThanOneResponseArrivesWholeInOneDelivery() {
    String big1 = "1".repeat(600 << 10);
    String big2 = "2".repeat(600 << 10);
    WatchRecorder recorder = new WatchRecorder();
    try (Watcher watcher = client.watch("big/", WatchOptions.builder().prefix().prevKv().build(),
        recorder)) {
      watcher.created().join();
      client.kv().txn().then(Op.put("big/a", big1), Op.put("big/b", big1)).commit();
      long revision = client.kv().txn().then(Op.put("big/a", big2), Op.put("big/b", big2))
          .commit().header().revision();
      await().atMost(WAIT).until(() -> recorder.eventCount() == 4);
      WatchRecorder.Call last = recorder.calls.get(1);
      assertThat(recorder.calls).hasSize(2);
      assertThat(last.revision()).isEqualTo(revision);
      assertThat(last.events()).hasSize(2).allMatch(e -> e.kv().valueString().equals(big2)
          && e.prevKv().valueString().equals(big1));
    }
  }

  @Test
  void prevKvIsRightAfterDeleteAndRecreate() {
    WatchRecorder recorder = new WatchRecorder();
    try (Watcher watcher = client.watch("pk", WatchOptions.builder().prevKv().build(),
        recorder)) {
      watcher.created().join();
      client.kv().put("pk", "1");
      client.kv().put("pk", "2");
      client.kv().delete("pk");
      client.kv().put("pk", "3");
      await().atMost(WAIT).until(() -> recorder.eventCount() == 4);
      List<WatchEvent> events = recorder.events();
      assertThat(events.get(0).isCreate()).isTrue();
      assertThat(events.get(0).prevKv()).isNull();
      assertThat(events.get(1).prevKv().valueString()).isEqualTo("1");
      assertThat(events.get(2).type()).isEqualTo(WatchEvent.Type.DELETE);
      assertThat(events.get(2).prevKv().valueString()).isEqualTo("2");
      assertThat(events.get(3).isCreate()).isTrue();
      assertThat(events.get(3).prevKv()).as("a re-create has no previous version").isNull();
    }
  }

  @Test
  void aWatchFromAnOldRevisionReplaysTheHistoryThenGoesLiveOnEveryMember() {
    long first = client.kv().put("old/a", "1").revision();
    client.kv().put("old/b", "2");
    client.kv().delete("old/a");
    client.kv().txn().then(Op.put("old/c", "3"), Op.put("old/d", "4")).commit();
    List<WatchRecorder> recorders = new ArrayList<>();
    List<Watcher> watchers = new ArrayList<>();
    for (CoordTestCluster.Member member : cluster.members()) {
      WatchRecorder recorder = new WatchRecorder();
      CoordClient direct = cluster.newClient(List.of(member.clientAddress()));
      watchers.add(direct.watch("old/", WatchOptions.builder().prefix().startRevision(first)
          .build(), recorder));
      recorders.add(recorder);
    }
    long last = client.kv().put("old/e", "5").revision();
    for (WatchRecorder recorder : recorders) {
      await().atMost(WAIT).until(() -> recorder.eventCount() == 6);
      assertThat(recorder.lines()).containsExactly("PUT old/a=1@" + first,
          "PUT old/b=2@" + (first + 1), "DELETE old/a@" + (first + 2),
          "PUT old/c=3@" + (first + 3), "PUT old/d=4@" + (first + 3), "PUT old/e=5@" + last);
      assertThat(recorder.calls).hasSize(5);
    }
    watchers.forEach(Watcher::close);
  }

  @Test
  void filtersLeaveOutPutsOrDeletes() {
    WatchRecorder deletes = new WatchRecorder();
    WatchRecorder puts = new WatchRecorder();
    try (Watcher a = client.watch("flt/", WatchOptions.builder().prefix().noPut().build(),
        deletes);
         Watcher b = client.watch("flt/", WatchOptions.builder().prefix().noDelete().build(),
             puts)) {
      a.created().join();
      b.created().join();
      client.kv().put("flt/x", "1");
      client.kv().delete("flt/x");
      long last = client.kv().put("flt/y", "2").revision();
      await().atMost(WAIT).until(() -> puts.eventCount() == 2 && deletes.eventCount() == 1);
      assertThat(puts.lines()).containsExactly("PUT flt/x=1@" + (last - 2),
          "PUT flt/y=2@" + last);
      assertThat(deletes.lines()).containsExactly("DELETE flt/x@" + (last - 1));
    }
  }

  @Test
  void aStartAtOrBelowTheCompactRevisionIsReportedOnceWithTheCompactRevision() {
    long first = client.kv().put("cmp/a", "1").revision();
    client.kv().put("cmp/a", "2");
    long compact = client.kv().put("cmp/a", "3").revision();
    client.kv().compact(compact);
    // A member serves watches from its own state: one that has not applied the compaction yet
    // still holds (and correctly delivers) the older history.
    await().atMost(WAIT).until(() -> cluster.running().stream()
        .allMatch(m -> m.server().stateMachine().compactRevision() == compact));
    WatchRecorder tooOld = new WatchRecorder();
    WatchRecorder atCompact = new WatchRecorder();
    WatchRecorder justAfter = new WatchRecorder();
    Watcher a = client.watch("cmp/a", WatchOptions.builder().startRevision(first).build(),
        tooOld);
    Watcher b = client.watch("cmp/a", WatchOptions.builder().startRevision(compact).build(),
        atCompact);
    long next = client.kv().put("cmp/a", "4").revision();
    try (Watcher c = client.watch("cmp/a", WatchOptions.builder().startRevision(compact + 1)
        .build(), justAfter)) {
      await().atMost(WAIT).until(() -> !tooOld.compacted.isEmpty()
          && !atCompact.compacted.isEmpty() && justAfter.eventCount() == 1);
      assertThat(tooOld.compacted).containsExactly(compact);
      assertThat(atCompact.compacted).containsExactly(compact);
      assertThat(justAfter.lines()).containsExactly("PUT cmp/a=4@" + next);
      assertThat(a.isClosed()).isTrue();
      assertThat(b.isClosed()).isTrue();
      assertThat(tooOld.calls).isEmpty();
      assertThat(tooOld.errors).isEmpty();
    }
  }

  @Test
  void progressRequestsAndTheQueueApi() throws Exception {
    try (WatchQueue queue = client.watches().queue("q/", WatchOptions.builder().prefix().build(),
        4)) {
      queue.watcher().created().join();
      long revision = client.kv().put("q/1", "x").revision();
      WatchUpdate update = queue.poll(WAIT);
      assertThat(update.kind()).isEqualTo(WatchUpdate.Kind.EVENTS);
      assertThat(update.revision()).isEqualTo(revision);
      queue.watcher().requestProgress();
      WatchUpdate progress = queue.poll(WAIT);
      assertThat(progress.kind()).isEqualTo(WatchUpdate.Kind.PROGRESS);
      assertThat(progress.revision()).isGreaterThanOrEqualTo(revision);
      assertThat(queue.watcher().nextRevision()).isEqualTo(progress.revision() + 1);
    }
  }

  @Test
  void oneStreamMultiplexesWatchesWithinItsLimitAndCancelsById() {
    ManagedChannel channel = NettyChannelBuilder.forTarget(cluster.members().get(1)
        .clientAddress()).usePlaintext().build();
    try {
      List<WatchResponse> responses = new CopyOnWriteArrayList<>();
      StreamObserver<WatchRequest> requests = WatchGrpc.newStub(channel).watch(
          new StreamObserver<>() {
            @Override
            public void onNext(WatchResponse response) {
              responses.add(response);
            }

            @Override
            public void onError(Throwable t) {
            }

            @Override
            public void onCompleted() {
            }
          });
      requests.onNext(create("mux/a", 0));
      requests.onNext(create("mux/b", 0));
      requests.onNext(create("mux/c", -1));
      requests.onNext(create("mux/c", 0));
      requests.onNext(create("mux/d", 0));
      await().atMost(WAIT).until(() -> responses.size() == 5);
      assertThat(responses.get(2).getErrorReason()).isEqualTo(ErrorReason.INVALID_FIELD);
      assertThat(responses.get(2).getCancelReason())
          .contains("create_request.start_revision: must not be negative");
      assertThat(responses.get(4).getCreated()).isTrue();
      assertThat(responses.get(4).getCanceled()).isTrue();
      assertThat(responses.get(4).getErrorReason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
      assertThat(responses.get(4).getCancelReason()).contains("over the limit of 3",
          "coord.watch.max-watches-per-stream");
      long idA = responses.get(0).getWatchId();
      long idB = responses.get(1).getWatchId();
      assertThat(idA).isNotEqualTo(idB);
      requests.onNext(WatchRequest.newBuilder().setCancelRequest(
          WatchCancelRequest.newBuilder().setWatchId(idA)).build());
      await().atMost(WAIT).until(() -> responses.stream()
          .anyMatch(r -> r.getCanceled() && r.getWatchId() == idA));
      long revision = client.kv().txn().then(Op.put("mux/a", "1"), Op.put("mux/b", "2"))
          .commit().header().revision();
      await().atMost(WAIT).until(() -> responses.stream()
          .anyMatch(r -> r.getWatchId() == idB && r.getEventsCount() == 1));
      await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> responses.stream()
          .noneMatch(r -> r.getWatchId() == idA && r.getEventsCount() > 0));
      WatchResponse b = responses.stream().filter(r -> r.getWatchId() == idB
          && r.getEventsCount() > 0).findFirst().orElseThrow();
      assertThat(b.getEvents(0).getKv().getModRevision()).isEqualTo(revision);
      requests.onCompleted();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void streamsAndWatchesAreReleasedWhenTheClientGoesAway() {
    CoordTestCluster.Member member = cluster.members().get(2);
    var hub = member.server().watches();
    int before = hub.stats().streams();
    CoordClient gone = CoordClient.builder().endpoints(member.clientAddress()).build();
    List<Watcher> watchers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      watchers.add(gone.watch("rel/" + i, WatchOptions.DEFAULT, new WatchRecorder()));
    }
    watchers.forEach(w -> w.created().join());
    assertThat(hub.stats().streams()).isEqualTo(before + 3);
    watchers.get(0).close();
    await().atMost(WAIT).until(() -> hub.stats().streams() == before + 2);
    gone.close();
    await().atMost(WAIT).until(() -> hub.stats().streams() == before
        && hub.stats().synced() + hub.stats().unsynced() == 0);
  }

  private static WatchRequest create(String key, long startRevision) {
    return WatchRequest.newBuilder().setCreateRequest(WatchCreateRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setStartRevision(startRevision)).build();
  }
}
