package io.coord.server.watch;

import static io.coord.server.statemachine.StateMachineFixture.delete;
import static io.coord.server.statemachine.StateMachineFixture.put;
import static io.coord.server.watch.HubFixture.prefix;
import static io.coord.server.watch.HubFixture.watch;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.CompactionRequest;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.Event;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.proto.v1.DeleteRangeRequest;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.command.Command;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The hub's delivery, checked event by event against what apply produced. */
@Timeout(60)
class WatchHubTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  @Test
  void liveEventsCarryPrevKvAcrossDeleteAndRecreate() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      HubFixture.Sink sink = f.openStream();
      WatchCreateRequest request = watch("k").setPrevKv(true).build();
      f.hub.create(sink.stream, request);
      long from = f.stateMachine.revision() + 1;
      f.apply(put("k", "1"));
      f.apply(put("k", "2"));
      f.apply(delete("k", ""));
      f.apply(put("k", "3"));
      f.apply(put("other", "x"));
      long id = sink.createdId(0);
      await().atMost(WAIT).until(() -> sink.events(id).size() == 4);
      List<Event> events = sink.events(id);
      assertThat(events).extracting(Event::getType).containsExactly(Event.EventType.PUT,
          Event.EventType.PUT, Event.EventType.DELETE, Event.EventType.PUT);
      assertThat(events.get(0).hasPrevKv()).isFalse();
      assertThat(events.get(1).getPrevKv().getValue().toStringUtf8()).isEqualTo("1");
      assertThat(events.get(2).getPrevKv().getValue().toStringUtf8()).isEqualTo("2");
      assertThat(events.get(2).getKv().getValue()).isEmpty();
      assertThat(events.get(3).hasPrevKv()).as("a re-create has no previous version").isFalse();
      assertThat(events.get(3).getKv().getVersion()).isEqualTo(1);
      assertThat(events.get(3).getKv().getCreateRevision())
          .isEqualTo(events.get(3).getKv().getModRevision());
      assertDelivered(f, sink, id, request, from);
    }
  }

  @Test
  void aWatchFromAnOldRevisionReplaysExactlyTheHistoryThenGoesLive() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      applyMix(f, new Random(1), 200);
      HubFixture.Sink sink = f.openStream();
      WatchCreateRequest request = prefix("k").setStartRevision(5).setPrevKv(true).build();
      f.hub.create(sink.stream, request);
      long id = sink.createdId(0);
      await().atMost(WAIT).until(() -> synced(f) == 1);
      applyMix(f, new Random(2), 50);
      await().atMost(WAIT).until(() -> sink.events(id).size() == f.expected(request, 5).size());
      assertDelivered(f, sink, id, request, 5);
    }
  }

  @Test
  void theEventsOfATransactionComeInOneResponseInTheirOrder() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      f.apply(put("t/z", "0"));
      HubFixture.Sink live = f.openStream();
      WatchCreateRequest request = prefix("t/").setPrevKv(true).build();
      f.hub.create(live.stream, request);
      long start = f.stateMachine.revision() + 1;
      f.apply(txn(List.of(putOp("t/c", "1"), putOp("t/a", "2"), deleteOp("t/z"),
          putOp("t/b", "3"))));
      HubFixture.Sink replay = f.openStream();
      f.hub.create(replay.stream, request.toBuilder().setStartRevision(start).build());
      for (HubFixture.Sink sink : List.of(live, replay)) {
        long id = sink.createdId(0);
        await().atMost(WAIT).until(() -> sink.events(id).size() == 4);
        List<WatchResponse> withEvents = sink.of(id).stream()
            .filter(r -> r.getEventsCount() > 0).toList();
        assertThat(withEvents).hasSize(1);
        assertThat(withEvents.get(0).getEventsList()).extracting(e -> e.getKv().getKey()
            .toStringUtf8()).containsExactly("t/c", "t/a", "t/z", "t/b");
        assertDelivered(f, sink, id, request, start);
      }
    }
  }

  @Test
  void filtersLeaveOutPutsOrDeletes() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      HubFixture.Sink sink = f.openStream();
      WatchCreateRequest noPut = prefix("k").addFilters(WatchCreateRequest.FilterType.NOPUT)
          .build();
      WatchCreateRequest noDelete = prefix("k").addFilters(
          WatchCreateRequest.FilterType.NODELETE).build();
      f.hub.create(sink.stream, noPut);
      f.hub.create(sink.stream, noDelete);
      long from = f.stateMachine.revision() + 1;
      applyMix(f, new Random(3), 100);
      long noPutId = sink.createdId(0);
      long noDeleteId = sink.createdId(1);
      await().atMost(WAIT).until(() -> sink.events(noPutId).size()
          == f.expected(noPut, from).size()
          && sink.events(noDeleteId).size() == f.expected(noDelete, from).size());
      assertThat(sink.events(noPutId)).allMatch(e -> e.getType() == Event.EventType.DELETE)
          .isNotEmpty();
      assertThat(sink.events(noDeleteId)).allMatch(e -> e.getType() == Event.EventType.PUT)
          .isNotEmpty();
      assertDelivered(f, sink, noPutId, noPut, from);
      assertDelivered(f, sink, noDeleteId, noDelete, from);
    }
  }

  @Test
  void aStartAtOrBelowTheCompactRevisionIsRefusedWithTheCompactRevision() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      applyMix(f, new Random(4), 50);
      long compact = f.stateMachine.revision() - 10;
      f.apply(compact(compact));
      HubFixture.Sink sink = f.openStream();
      f.hub.create(sink.stream, prefix("k").setStartRevision(compact).setWatchId(7).build());
      WatchCreateRequest after = prefix("k").setStartRevision(compact + 1).setWatchId(8).build();
      f.hub.create(sink.stream, after);
      await().atMost(WAIT).until(() -> sink.canceled(7));
      WatchResponse refused = sink.of(7).get(0);
      assertThat(refused.getCreated()).isTrue();
      assertThat(refused.getCanceled()).isTrue();
      assertThat(refused.getCompactRevision()).isEqualTo(compact);
      assertThat(refused.getErrorReason()).isEqualTo(ErrorReason.COMPACTED);
      assertThat(refused.getCancelReason()).contains("watch from " + (compact + 1));
      await().atMost(WAIT).until(() -> sink.events(8).size()
          == f.expected(after, compact + 1).size());
      assertDelivered(f, sink, 8, after, compact + 1);
    }
  }

  @Test
  void aStalledWatchIsParkedAndCaughtUpLaterWithoutGapOrDuplicate() {
    WatchLimits limits = HubFixture.limits(10, 1 << 20, Duration.ofHours(1));
    try (HubFixture f = new HubFixture(dir.resolve("a"), limits)) {
      HubFixture.Sink stalled = f.openStream();
      HubFixture.Sink healthy = f.openStream();
      WatchCreateRequest request = prefix("k").setPrevKv(true).build();
      stalled.ready = false;
      f.hub.create(stalled.stream, request);
      f.hub.create(healthy.stream, request);
      long from = f.stateMachine.revision() + 1;
      for (int i = 0; i < 300; i++) {
        f.apply(put("k" + (i % 7), "v" + i));
      }
      assertThat(f.hub.census().get(Watcher.State.UNSYNCED)).as("the stalled watch is parked")
          .isPositive();
      assertThat(stalled.stream.queued()).as("bounded by the watch's buffer").isLessThan(12);
      long healthyId = healthy.createdId(0);
      await().atMost(WAIT).until(() -> healthy.events(healthyId).size() == 300);
      stalled.setReady(true);
      await().atMost(WAIT).until(() -> synced(f) == 2);
      for (int i = 0; i < 20; i++) {
        f.apply(put("k" + i, "after" + i));
      }
      long stalledId = stalled.createdId(0);
      await().atMost(WAIT).until(() -> stalled.events(stalledId).size() == 320);
      assertDelivered(f, stalled, stalledId, request, from);
      assertDelivered(f, healthy, healthyId, request, from);
    }
  }

  @Test
  void aStalledWatchThatFallsBehindCompactionIsCancelledWithTheCompactRevision() {
    WatchLimits limits = HubFixture.limits(5, 1 << 20, Duration.ofHours(1));
    try (HubFixture f = new HubFixture(dir.resolve("a"), limits)) {
      HubFixture.Sink stalled = f.openStream();
      stalled.ready = false;
      f.hub.create(stalled.stream, prefix("k").build());
      for (int i = 0; i < 50; i++) {
        f.apply(put("k" + i, "v"));
      }
      long compact = f.stateMachine.revision() - 5;
      f.apply(compact(compact));
      stalled.setReady(true);
      long id = stalled.createdId(0);
      await().atMost(WAIT).until(() -> stalled.canceled(id));
      WatchResponse canceled = stalled.of(id).get(stalled.of(id).size() - 1);
      assertThat(canceled.getCompactRevision()).isEqualTo(compact);
      assertThat(canceled.getErrorReason()).isEqualTo(ErrorReason.COMPACTED);
      List<Event> got = stalled.events(id);
      assertThat(got).isNotEmpty();
      assertThat(got.get(got.size() - 1).getKv().getModRevision())
          .as("what was delivered before the cancel is a gap-free prefix")
          .isLessThanOrEqualTo(compact);
      assertThat(got).extracting(e -> e.getKv().getModRevision()).isSorted().doesNotHaveDuplicates();
      assertThat(got.get(0).getKv().getModRevision()).isEqualTo(2);
      assertThat(got.get(got.size() - 1).getKv().getModRevision()).isEqualTo(got.size() + 1);
    }
  }

  @Test
  void catchUpRacingWithApplyNeverSkipsNorRepeats() throws Exception {
    WatchLimits limits = HubFixture.limits(20, 1 << 20, Duration.ofHours(1));
    try (HubFixture f = new HubFixture(dir.resolve("a"), limits)) {
      applyMix(f, new Random(5), 100);
      AtomicBoolean stop = new AtomicBoolean();
      Thread writer = new Thread(() -> {
        Random random = new Random(6);
        for (int i = 0; i < 1500 && !stop.get(); i++) {
          applyMix(f, random, 1);
        }
      });
      writer.start();
      Random random = new Random(7);
      List<HubFixture.Sink> sinks = new ArrayList<>();
      Map<HubFixture.Sink, WatchCreateRequest> requests = new HashMap<>();
      Map<HubFixture.Sink, Long> starts = new HashMap<>();
      for (int i = 0; i < 12; i++) {
        HubFixture.Sink sink = f.openStream();
        long start = 2 + random.nextInt((int) f.stateMachine.revision());
        WatchCreateRequest request = prefix(i % 2 == 0 ? "k" : "k1").setPrevKv(i % 3 == 0)
            .setStartRevision(start).build();
        f.hub.create(sink.stream, request);
        sinks.add(sink);
        requests.put(sink, request);
        starts.put(sink, start);
      }
      for (int round = 0; round < 30; round++) {
        HubFixture.Sink sink = sinks.get(random.nextInt(sinks.size()));
        sink.ready = false;
        Thread.onSpinWait();
        sink.setReady(true);
      }
      writer.join();
      sinks.forEach(s -> s.setReady(true));
      await().atMost(WAIT).until(() -> synced(f) == sinks.size());
      for (HubFixture.Sink sink : sinks) {
        long id = sink.createdId(0);
        WatchCreateRequest request = requests.get(sink);
        long start = starts.get(sink);
        await().atMost(WAIT).until(() -> sink.events(id).size()
            == f.expected(request, start).size());
        assertDelivered(f, sink, id, request, start);
      }
    }
  }

  @Test
  void revisionsAppliedWhileARoundReadsHistoryAreHandedOverFromMemory() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      applyMix(f, new Random(10), 30);
      AtomicBoolean once = new AtomicBoolean();
      f.hub.afterCatchUpRead = () -> {
        if (once.compareAndSet(false, true)) {
          f.apply(put("k1", "during-1"));
          f.apply(txn(List.of(putOp("k2", "during-2"), deleteOp("k3"), putOp("k4", "x"))));
        }
      };
      HubFixture.Sink sink = f.openStream();
      WatchCreateRequest request = prefix("k").setStartRevision(3).setPrevKv(true).build();
      f.hub.create(sink.stream, request);
      long id = sink.createdId(0);
      await().atMost(WAIT).until(() -> synced(f) == 1);
      assertThat(once).isTrue();
      f.apply(put("k5", "after"));
      await().atMost(WAIT).until(() -> sink.events(id).size() == f.expected(request, 3).size());
      assertDelivered(f, sink, id, request, 3);
      assertThat(sink.events(id)).extracting(e -> e.getKv().getValue().toStringUtf8())
          .contains("during-1", "during-2", "after");
    }
  }

  @Test
  void aSnapshotInstallReSyncsEveryWatchFromTheNewState() {
    List<Command[]> entries = new ArrayList<>();
    Random random = new Random(8);
    for (int i = 0; i < 120; i++) {
      entries.add(mixEntry(random));
    }
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults());
         HubFixture ahead = new HubFixture(dir.resolve("b"), HubFixture.defaults())) {
      HubFixture.Sink sink = f.openStream();
      WatchCreateRequest request = prefix("k").setPrevKv(true).build();
      f.hub.create(sink.stream, request);
      long from = f.stateMachine.revision() + 1;
      for (int i = 0; i < 40; i++) {
        f.apply(entries.get(i));
      }
      for (Command[] entry : entries) {
        ahead.apply(entry);
      }
      Path checkpoint = dir.resolve("checkpoint");
      ahead.stateMachine.checkpoint(checkpoint);
      f.stateMachine.closeStore();
      f.stateMachine.replaceStore(checkpoint);
      assertThat(f.stateMachine.revision()).isEqualTo(ahead.stateMachine.revision());
      f.apply(put("k-after", "x"));
      ahead.apply(put("k-after", "x"));
      long id = sink.createdId(0);
      await().atMost(WAIT).until(() -> sink.events(id).size()
          == ahead.expected(request, from).size());
      assertDelivered(ahead, sink, id, request, from);
      assertThat(synced(f)).isEqualTo(1);
    }
  }

  @Test
  void aWatchFromAFutureRevisionStartsThere() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      HubFixture.Sink sink = f.openStream();
      long start = f.stateMachine.revision() + 5;
      WatchCreateRequest request = watch("k").setStartRevision(start).build();
      f.hub.create(sink.stream, request);
      for (int i = 0; i < 10; i++) {
        f.apply(put("k", "v" + i));
      }
      long id = sink.createdId(0);
      await().atMost(WAIT).until(() -> sink.events(id).size() == 6);
      assertThat(sink.events(id).get(0).getKv().getModRevision()).isEqualTo(start);
      assertDelivered(f, sink, id, request, start);
    }
  }

  @Test
  void aDeleteJustAboveTheCompactRevisionKeepsItsPrevKv() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      f.apply(put("d", "1"));
      f.apply(put("d", "2"));
      long compact = f.stateMachine.revision();
      f.apply(delete("d", ""));
      f.apply(compact(compact));
      for (int i = 0; i < 5; i++) {
        f.apply(put("filler" + i, "x"));
      }
      HubFixture.Sink sink = f.openStream();
      WatchCreateRequest request = watch("d").setStartRevision(compact + 1).setPrevKv(true)
          .build();
      f.hub.create(sink.stream, request);
      long id = sink.createdId(0);
      await().atMost(WAIT).until(() -> sink.events(id).size() == 1);
      Event deleted = sink.events(id).get(0);
      assertThat(deleted.getType()).isEqualTo(Event.EventType.DELETE);
      assertThat(deleted.getKv().getModRevision()).isEqualTo(compact + 1);
      assertThat(deleted.getPrevKv().getValue().toStringUtf8()).isEqualTo("2");
    }
  }

  @Test
  void aFutureWatchGetsNoProgressBelowItsStart() {
    WatchLimits limits = HubFixture.limits(1000, 1 << 20, Duration.ofMillis(10));
    try (HubFixture f = new HubFixture(dir.resolve("a"), limits)) {
      HubFixture.Sink sink = f.openStream();
      long start = f.stateMachine.revision() + 3;
      f.hub.create(sink.stream, watch("k").setStartRevision(start).setProgressNotify(true)
          .build());
      long id = sink.createdId(0);
      for (int i = 0; i < 4; i++) {
        f.apply(put("other", "x" + i));
        long revision = f.stateMachine.revision();
        await().atMost(WAIT).until(() -> revision < start - 1 || sink.of(id).stream()
            .anyMatch(r -> r.getHeader().getRevision() == revision));
      }
      assertThat(sink.of(id).stream().filter(r -> !r.getCreated())
          .map(r -> r.getHeader().getRevision()))
          .isNotEmpty().allMatch(revision -> revision >= start - 1);
    }
  }

  @Test
  void aRevisionOverOneMegabyteIsSplitIntoFragmentsOnlyWhenAllowed() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      HubFixture.Sink sink = f.openStream();
      f.hub.create(sink.stream, prefix("big/").setFragment(true).setWatchId(1).build());
      f.hub.create(sink.stream, prefix("big/").setWatchId(2).build());
      String value = "x".repeat(400 << 10);
      long revision = f.stateMachine.revision() + 1;
      f.apply(txn(List.of(putOp("big/a", value), putOp("big/b", value), putOp("big/c", value),
          putOp("big/d", value))));
      await().atMost(WAIT).until(() -> sink.events(1).size() == 4 && sink.events(2).size() == 4);
      List<WatchResponse> fragments = sink.of(1).stream().filter(r -> r.getEventsCount() > 0)
          .toList();
      assertThat(fragments).hasSizeGreaterThan(1);
      assertThat(fragments.subList(0, fragments.size() - 1))
          .allMatch(WatchResponse::getFragment);
      assertThat(fragments.get(fragments.size() - 1).getFragment()).isFalse();
      assertThat(sink.of(2).stream().filter(r -> r.getEventsCount() > 0)).hasSize(1)
          .allMatch(r -> !r.getFragment() && r.getHeader().getRevision() == revision);
    }
  }

  @Test
  void requestedProgressWaitsUntilEveryWatchIsSyncedAndVouchesForAllBefore() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      applyMix(f, new Random(9), 300);
      HubFixture.Sink sink = f.openStream();
      sink.ready = false;
      f.hub.create(sink.stream, prefix("k").setStartRevision(2).build());
      f.hub.requestProgress(sink.stream);
      sink.setReady(true);
      await().atMost(WAIT).until(() -> !sink.of(WatchHub.STREAM_WIDE).isEmpty());
      WatchResponse progress = sink.of(WatchHub.STREAM_WIDE).get(0);
      long revision = progress.getHeader().getRevision();
      assertThat(revision).isEqualTo(f.stateMachine.revision());
      int at = sink.responses.indexOf(progress);
      long id = sink.createdId(0);
      long deliveredBefore = sink.responses.subList(0, at).stream()
          .filter(r -> r.getWatchId() == id).mapToLong(WatchResponse::getEventsCount).sum();
      assertThat(deliveredBefore).isEqualTo(f.expected(prefix("k").build(), 2).size());
    }
  }

  @Test
  void periodicProgressGoesToQuietWatchesThatAskedForIt() {
    WatchLimits limits = HubFixture.limits(1000, 1 << 20, Duration.ofMillis(20));
    try (HubFixture f = new HubFixture(dir.resolve("a"), limits)) {
      HubFixture.Sink sink = f.openStream();
      f.hub.create(sink.stream, watch("quiet").setProgressNotify(true).build());
      f.hub.create(sink.stream, watch("quiet2").build());
      f.apply(put("busy", "1"));
      long revision = f.stateMachine.revision();
      long id = sink.createdId(0);
      await().atMost(WAIT).until(() -> sink.of(id).stream().anyMatch(r -> !r.getCreated()
          && r.getHeader().getRevision() == revision));
      assertThat(sink.of(sink.createdId(1))).hasSize(1);
    }
  }

  @Test
  void limitsAndDuplicateIdsAreRefusedOnTheStreamWhichGoesOn() {
    WatchLimits limits = new WatchLimits(2, 1000, 1 << 20, Duration.ofHours(1));
    try (HubFixture f = new HubFixture(dir.resolve("a"), limits)) {
      HubFixture.Sink sink = f.openStream();
      f.hub.create(sink.stream, watch("a").setWatchId(5).build());
      f.hub.create(sink.stream, watch("b").setWatchId(5).build());
      f.hub.create(sink.stream, watch("b").build());
      f.hub.create(sink.stream, watch("c").build());
      await().atMost(WAIT).until(() -> sink.responses.size() == 4);
      assertThat(sink.responses.get(1).getErrorReason()).isEqualTo(ErrorReason.INVALID_FIELD);
      assertThat(sink.responses.get(1).getCanceled()).isTrue();
      assertThat(sink.responses.get(3).getErrorReason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
      assertThat(sink.responses.get(3).getCancelReason())
          .contains("coord.watch.max-watches-per-stream");
      assertThat(sink.responses.get(3).getWatchId()).isEqualTo(WatchHub.STREAM_WIDE);
      f.apply(put("a", "1"));
      await().atMost(WAIT).until(() -> sink.events(5).size() == 1);
    }
  }

  @Test
  void cancelEndsTheWatchAndClosingTheStreamReleasesEverything() {
    try (HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults())) {
      HubFixture.Sink sink = f.openStream();
      f.hub.create(sink.stream, watch("a").build());
      f.hub.create(sink.stream, watch("b").build());
      long a = sink.createdId(0);
      f.hub.cancel(sink.stream, a);
      f.apply(put("a", "1"));
      f.apply(put("b", "1"));
      long b = sink.createdId(1);
      await().atMost(WAIT).until(() -> sink.events(b).size() == 1);
      assertThat(sink.canceled(a)).isTrue();
      assertThat(sink.events(a)).isEmpty();
      f.hub.closeStream(sink.stream);
      assertThat(f.hub.census()).isEmpty();
      await().atMost(WAIT).until(() -> sink.closed);
    }
  }

  @Test
  void closingTheHubEndsStreamsWithNotReady() {
    HubFixture f = new HubFixture(dir.resolve("a"), HubFixture.defaults());
    HubFixture.Sink sink = f.openStream();
    f.hub.create(sink.stream, watch("a").build());
    f.close();
    assertThat(sink.closed).isTrue();
    assertThat(sink.closedWith.reason()).isEqualTo(ErrorReason.NOT_READY);
  }

  // --- helpers ---------------------------------------------------------------------------------

  /**
   * The watch got exactly the events the truth holds for it from {@code from} on, in order,
   * each revision whole in one response.
   */
  static void assertDelivered(HubFixture f, HubFixture.Sink sink, long id,
      WatchCreateRequest request, long from) {
    assertThat(sink.events(id)).containsExactlyElementsOf(f.expected(request, from));
    for (WatchResponse response : sink.of(id)) {
      Map<Long, Long> perRevision = new HashMap<>();
      for (Event event : response.getEventsList()) {
        perRevision.merge(event.getKv().getModRevision(), 1L, Long::sum);
      }
      perRevision.forEach((revision, count) -> assertThat(count)
          .as("events of revision %d in one response", revision)
          .isEqualTo(f.expectedInRevision(request, revision)));
    }
  }

  private static int synced(HubFixture f) {
    return f.hub.census().getOrDefault(Watcher.State.SYNCED, 0);
  }

  static void applyMix(HubFixture f, Random random, int entries) {
    for (int i = 0; i < entries; i++) {
      f.apply(mixEntry(random));
    }
  }

  /** Puts, deletes (single and range) and multi-key txns over a few keys. */
  static Command[] mixEntry(Random random) {
    int commands = 1 + random.nextInt(3);
    Command[] out = new Command[commands];
    for (int c = 0; c < commands; c++) {
      String key = "k" + random.nextInt(12);
      int kind = random.nextInt(10);
      if (kind < 6) {
        out[c] = put(key, "v" + random.nextInt(1000));
      } else if (kind < 8) {
        out[c] = delete(key, "");
      } else if (kind < 9) {
        out[c] = delete("k1", "k2");
      } else {
        out[c] = txn(List.of(putOp("k" + random.nextInt(5), "t"),
            deleteOp("k" + (5 + random.nextInt(4))), putOp("k" + (9 + random.nextInt(3)), "u")));
      }
    }
    return out;
  }

  static Command txn(List<RequestOp> ops) {
    return Command.newBuilder().setTxn(TxnRequest.newBuilder().addAllSuccess(ops)).build();
  }

  static RequestOp putOp(String key, String value) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))).build();
  }

  static RequestOp deleteOp(String key) {
    return RequestOp.newBuilder().setRequestDeleteRange(DeleteRangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key))).build();
  }

  static Command compact(long revision) {
    return Command.newBuilder().setCompact(CompactionRequest.newBuilder().setRevision(revision))
        .build();
  }
}
