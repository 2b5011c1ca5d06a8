package io.coord.server.watch;

import io.coord.proto.v1.Event;
import io.coord.proto.v1.ResponseHeader;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.kv.KvEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Packs the events of one watch into responses: whole revisions only, several small revisions
 * per response; one revision is split (every part but the last marked {@code fragment}) only
 * if the watch allowed it and the revision exceeds {@link #MAX_RESPONSE_BYTES}.
 */
final class Responses {
  static final long MAX_RESPONSE_BYTES = 1 << 20;
  static final int MAX_RESPONSE_EVENTS = 1000;

  private final Watcher watcher;
  private final LongFunction<ResponseHeader> headers;
  private final List<Outgoing> out = new ArrayList<>();
  private WatchResponse.Builder current;
  private int currentEvents;
  private long currentBytes;
  private long currentRevision;
  private long lastRevision;

  Responses(Watcher watcher, LongFunction<ResponseHeader> headers) {
    this.watcher = watcher;
    this.headers = headers;
  }

  static Event toProto(KvEvent event, boolean withPrev) {
    Event.Builder proto = Event.newBuilder()
        .setType(event.type() == KvEvent.Type.PUT ? Event.EventType.PUT : Event.EventType.DELETE)
        .setKv(event.kv());
    if (withPrev && event.prevKv() != null) {
      proto.setPrevKv(event.prevKv());
    }
    return proto.build();
  }

  /** Adds every event of one revision, in order. */
  void addRevision(long revision, List<Event> events) {
    long bytes = 0;
    for (Event event : events) {
      bytes += event.getSerializedSize();
    }
    if (current != null && (currentBytes + bytes > MAX_RESPONSE_BYTES
        || currentEvents + events.size() > MAX_RESPONSE_EVENTS)) {
      flush(false);
    }
    if (watcher.fragment && bytes > MAX_RESPONSE_BYTES) {
      for (Event event : events) {
        long size = event.getSerializedSize();
        if (current != null && currentBytes + size > MAX_RESPONSE_BYTES) {
          flush(true);
        }
        append(revision, event, size);
      }
    } else {
      for (Event event : events) {
        append(revision, event, event.getSerializedSize());
      }
    }
    lastRevision = revision;
  }

  private void append(long revision, Event event, long size) {
    if (current == null) {
      current = WatchResponse.newBuilder().setWatchId(watcher.id);
    }
    current.addEvents(event);
    currentEvents++;
    currentBytes += size;
    currentRevision = revision;
  }

  private void flush(boolean fragment) {
    current.setHeader(headers.apply(currentRevision)).setFragment(fragment);
    out.add(new Outgoing(current.build(), watcher, currentEvents, currentBytes));
    current = null;
    currentEvents = 0;
    currentBytes = 0;
  }

  /** The responses, in order. */
  List<Outgoing> build() {
    if (current != null) {
      flush(false);
    }
    return out;
  }

  /** Revision of the last event added, 0 if none. */
  long lastRevision() {
    return lastRevision;
  }

  boolean isEmpty() {
    return out.isEmpty() && current == null;
  }
}
