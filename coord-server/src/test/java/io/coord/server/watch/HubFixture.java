package io.coord.server.watch;

import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.Event;
import io.coord.proto.v1.ResponseHeader;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.LogEntry;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KeyRange;
import io.coord.server.kv.KvCommands;
import io.coord.server.kv.KvEvent;
import io.coord.server.kv.SessionAttachments;
import io.coord.server.statemachine.ApplyListener;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.statemachine.KvHandlers;
import io.coord.server.statemachine.MemberHandler;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A state machine fed log entries directly (no Raft) with a watch hub on it, and a record of
 * every event apply produced: the truth watches are checked against.
 */
final class HubFixture implements AutoCloseable {
  final CoordStateMachine stateMachine;
  final WatchHub hub;
  /** Every event apply reported, in order. */
  final List<KvEvent> truth = new CopyOnWriteArrayList<>();
  private long index;
  private long time = 1_000_000;

  HubFixture(Path dir, WatchLimits limits) {
    this(dir, limits, null);
  }

  /** A hub that ends its streams when {@code leaderLoss} says the leader is lost (null: never). */
  HubFixture(Path dir, WatchLimits limits, LeaderLoss leaderLoss) {
    stateMachine = open(dir);
    stateMachine.addListener(new ApplyListener() {
      @Override
      public void onApplied(long index, long revision, List<KvEvent> events) {
        truth.addAll(events);
      }
    });
    hub = new WatchHub(stateMachine, limits, HubFixture::header, "test", leaderLoss);
    hub.start();
  }

  static WatchLimits limits(long maxEvents, long maxBytes, Duration progress) {
    return new WatchLimits(100, maxEvents, maxBytes, progress);
  }

  static WatchLimits defaults() {
    return limits(1000, 4 << 20, Duration.ofHours(1));
  }

  static CoordStateMachine open(Path dir) {
    CoordStateMachine machine = new CoordStateMachine(dir);
    KvHandlers.register(machine, new KvCommands(SessionAttachments.NONE));
    MemberHandler.register(machine);
    machine.open();
    return machine;
  }

  static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }

  /** Applies one entry holding {@code commands} at the next log index. */
  List<CommandResult> apply(Command... commands) {
    return applyTo(stateMachine, commands);
  }

  List<CommandResult> applyTo(CoordStateMachine machine, Command... commands) {
    time += 10;
    index = Math.max(index, machine.appliedIndex()) + 1;
    LogEntry entry = LogEntry.newBuilder().addAllCommands(List.of(commands))
        .setLeaderTimeMs(time).build();
    return machine.apply(1, index, entry).getResultsList();
  }

  Sink openStream() {
    Sink sink = new Sink();
    sink.stream = hub.openStream(sink);
    return sink;
  }

  static WatchCreateRequest.Builder watch(String key) {
    return WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(key));
  }

  static WatchCreateRequest.Builder prefix(String prefix) {
    byte[] end = prefix.getBytes();
    end[end.length - 1]++;
    return watch(prefix).setRangeEnd(ByteString.copyFrom(end));
  }

  /** The events the truth says {@code request} must deliver, in order (revisions >= from). */
  List<Event> expected(WatchCreateRequest request, long from) {
    KeyRange range = KeyRange.of(request.getKey().toByteArray(),
        request.getRangeEnd().toByteArray());
    List<Event> out = new ArrayList<>();
    for (KvEvent event : truth) {
      if (event.revision() < from || !range.contains(event.kv().getKey().toByteArray())) {
        continue;
      }
      if (event.type() == KvEvent.Type.PUT
          ? request.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT)
          : request.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE)) {
        continue;
      }
      out.add(Responses.toProto(event, request.getPrevKv()));
    }
    return out;
  }

  /** Number of events of {@code revision} in the truth that {@code request} matches. */
  long expectedInRevision(WatchCreateRequest request, long revision) {
    return expected(request, revision).stream()
        .filter(e -> e.getKv().getModRevision() == revision).count();
  }

  @Override
  public void close() {
    hub.close();
    stateMachine.close();
  }

  /** A client end whose readiness the test controls. */
  static final class Sink implements ResponseSink {
    final List<WatchResponse> responses = new CopyOnWriteArrayList<>();
    volatile boolean ready = true;
    volatile boolean closed;
    volatile CoordError closedWith;
    WatchStream stream;

    @Override
    public boolean isReady() {
      return ready;
    }

    @Override
    public void send(WatchResponse response) {
      responses.add(response);
    }

    @Override
    public void close(CoordError error) {
      closedWith = error;
      closed = true;
    }

    void setReady(boolean value) {
      ready = value;
      if (value) {
        stream.onReady();
      }
    }

    List<WatchResponse> of(long watchId) {
      return responses.stream().filter(r -> r.getWatchId() == watchId).toList();
    }

    List<Event> events(long watchId) {
      return of(watchId).stream().flatMap(r -> r.getEventsList().stream()).toList();
    }

    boolean canceled(long watchId) {
      return of(watchId).stream().anyMatch(WatchResponse::getCanceled);
    }

    /** The id of the n-th created response (in creation order). */
    long createdId(int n) {
      return await().atMost(Duration.ofSeconds(20)).until(() -> responses.stream()
          .filter(WatchResponse::getCreated).skip(n).findFirst(), Optional::isPresent)
          .orElseThrow().getWatchId();
    }
  }
}
