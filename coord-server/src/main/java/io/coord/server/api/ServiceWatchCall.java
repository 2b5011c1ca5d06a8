package io.coord.server.api;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.Event;
import io.coord.proto.v1.Instance;
import io.coord.proto.v1.InstanceEvent;
import io.coord.proto.v1.ResponseHeader;
import io.coord.proto.v1.ServiceWatchRequest;
import io.coord.proto.v1.ServiceWatchResponse;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.discovery.InstanceReader;
import io.coord.server.discovery.ServiceKeys;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KeyRange;
import io.coord.server.watch.ResponseSink;
import io.coord.server.watch.WatchHub;
import io.coord.server.watch.WatchStream;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.ArrayList;
import java.util.List;

/**
 * One Discovery.Watch call: a snapshot of the service's instances at revision R (read after a
 * ReadIndex round, so it is current), then an internal watch of the hub on the service's
 * reserved prefix from R + 1, whose key events are turned into instance events. A resumed call
 * (start_revision > 0) starts with the watch; when the history it needs was compacted, the call
 * sends a fresh snapshot and watches on from after it.
 */
final class ServiceWatchCall implements ResponseSink {
  /** Snapshot responses are cut at about this many bytes. */
  static final int SNAPSHOT_PART_BYTES = 1 << 20;

  private final ServerCallStreamObserver<ServiceWatchResponse> call;
  private final ServiceWatchRequest request;
  private final WatchHub hub;
  private final ReadPath reads;
  private final Headers headers;
  private final KeyRange range;
  private volatile WatchStream stream;
  private volatile boolean ended;

  ServiceWatchCall(ServerCallStreamObserver<ServiceWatchResponse> call,
      ServiceWatchRequest request, WatchHub hub, ReadPath reads, Headers headers) {
    this.call = call;
    this.request = request;
    this.hub = hub;
    this.reads = reads;
    this.headers = headers;
    this.range = ServiceKeys.service(request.getService());
  }

  void start() {
    stream = hub.openStream(this);
    call.setOnReadyHandler(stream::onReady);
    call.setOnCancelHandler(() -> {
      ended = true;
      hub.closeStream(stream);
    });
    if (request.getStartRevision() > 0) {
      watchFrom(request.getStartRevision());
    } else {
      snapshotThenWatch();
    }
  }

  private void snapshotThenWatch() {
    reads.read(false, 0, (view, meta) ->
            new Snapshot(meta.revision(), InstanceReader.service(view, request.getService())))
        .whenComplete((snapshot, error) -> {
          if (error != null) {
            fail(error);
            return;
          }
          sendSnapshot(snapshot);
          watchFrom(snapshot.revision() + 1);
        });
  }

  private record Snapshot(long revision, List<Instance> instances) {}

  private void sendSnapshot(Snapshot snapshot) {
    ResponseHeader header = headers.at(snapshot.revision());
    ServiceWatchResponse.Builder part = ServiceWatchResponse.newBuilder().setHeader(header)
        .setSnapshot(true);
    int bytes = 0;
    for (Instance instance : snapshot.instances()) {
      if (bytes > 0 && bytes + instance.getSerializedSize() > SNAPSHOT_PART_BYTES) {
        emit(part.setSnapshotContinues(true).build());
        part = ServiceWatchResponse.newBuilder().setHeader(header).setSnapshot(true);
        bytes = 0;
      }
      part.addInstances(instance);
      bytes += instance.getSerializedSize();
    }
    emit(part.build());
  }

  private void watchFrom(long revision) {
    if (ended) {
      return;
    }
    hub.create(stream, WatchCreateRequest.newBuilder()
        .setKey(ByteString.copyFrom(range.lower()))
        .setRangeEnd(ByteString.copyFrom(range.upper()))
        .setStartRevision(revision)
        .setProgressNotify(true)
        .build());
  }

  @Override
  public boolean isReady() {
    return call.isReady();
  }

  @Override
  public void send(WatchResponse response) {
    if (response.getCanceled()) {
      if (response.getCompactRevision() > 0) {
        snapshotThenWatch();
      } else {
        fail(new CoordError(response.getErrorReason(), response.getCancelReason().isEmpty()
            ? "the member ended the watch" : response.getCancelReason()));
      }
      return;
    }
    if (response.getCreated()) {
      return;
    }
    if (response.getEventsCount() == 0) {
      emit(ServiceWatchResponse.newBuilder().setHeader(response.getHeader()).build());
      return;
    }
    List<Event> events = response.getEventsList();
    int i = 0;
    while (i < events.size()) {
      long revision = events.get(i).getKv().getModRevision();
      List<InstanceEvent> group = new ArrayList<>();
      for (; i < events.size() && events.get(i).getKv().getModRevision() == revision; i++) {
        group.add(translate(events.get(i)));
      }
      emit(ServiceWatchResponse.newBuilder()
          .setHeader(response.getHeader().toBuilder().setRevision(revision))
          .addAllEvents(group).build());
    }
  }

  private InstanceEvent translate(Event event) {
    if (event.getType() == Event.EventType.PUT) {
      return InstanceEvent.newBuilder().setType(InstanceEvent.Type.PUT)
          .setInstance(InstanceReader.decode(event.getKv())).build();
    }
    ServiceKeys.Name name = ServiceKeys.parse(event.getKv().getKey().toByteArray())
        .orElseThrow();
    return InstanceEvent.newBuilder().setType(InstanceEvent.Type.DELETE)
        .setInstance(Instance.newBuilder().setService(name.service()).setId(name.id())
            .setModRevision(event.getKv().getModRevision()))
        .build();
  }

  @Override
  public void close(CoordError error) {
    if (error == null) {
      end(null);
    } else {
      fail(error);
    }
  }

  private void fail(Throwable error) {
    end(error);
    WatchStream opened = stream;
    if (opened != null) {
      hub.closeStream(opened);
    }
  }

  private void emit(ServiceWatchResponse response) {
    synchronized (call) {
      if (ended) {
        return;
      }
      try {
        call.onNext(response);
      } catch (RuntimeException cancelled) {
        ended = true;
      }
    }
  }

  private void end(Throwable error) {
    synchronized (call) {
      if (ended) {
        return;
      }
      ended = true;
      try {
        if (call.isCancelled()) {
          return;
        }
        if (error == null) {
          call.onCompleted();
        } else {
          call.onError(ApiErrors.toStatus(error));
        }
      } catch (RuntimeException gone) {
        // The caller went away meanwhile.
      }
    }
  }
}
