package io.coord.server.watch;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.server.kv.KeyRange;
import io.coord.server.kv.KvEvent;
import io.coord.server.kv.SystemKeys;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One watch on one stream. Its state is guarded by the hub's lock, except the buffer counters,
 * which the stream's sender decrements as responses leave.
 */
final class Watcher {
  enum State {
    /** Gets live events from apply. */
    SYNCED,
    /** Behind the hub's revision (parked or started in the past): caught up from history. */
    UNSYNCED,
    CANCELED
  }

  final long id;
  final WatchStream stream;
  final KeyRange range;
  /** The watched key when the watch names a single key (indexed by key), else null. */
  final ByteString singleKey;
  final long startRevision;
  final boolean prevKv;
  final boolean noPut;
  final boolean noDelete;
  final boolean progressNotify;
  final boolean fragment;
  /** Whether reserved keys stay out of this watch (its range does not start among them). */
  final boolean skipReserved;

  State state = State.SYNCED;
  /** While unsynced: the first revision not yet queued. */
  long nextRevision;
  /** Highest revision queued for this watch; live events at or below it are never queued. */
  long floor;
  /** Highest revision the client was told about (events or progress). */
  long reported;
  boolean syncScheduled;

  /** Responses of this watch queued on the stream and not yet sent. */
  final AtomicLong pendingItems = new AtomicLong();
  final AtomicLong pendingEvents = new AtomicLong();
  final AtomicLong pendingBytes = new AtomicLong();
  /** Parked until the sender frees room in its buffer. */
  volatile boolean waitingForRoom;

  Watcher(long id, WatchStream stream, WatchCreateRequest request) {
    this.id = id;
    this.stream = stream;
    byte[] key = request.getKey().toByteArray();
    this.range = KeyRange.of(key, request.getRangeEnd().toByteArray());
    this.singleKey = request.getRangeEnd().isEmpty() ? request.getKey() : null;
    this.startRevision = request.getStartRevision();
    this.prevKv = request.getPrevKv();
    this.noPut = request.getFiltersList().contains(WatchCreateRequest.FilterType.NOPUT);
    this.noDelete = request.getFiltersList().contains(WatchCreateRequest.FilterType.NODELETE);
    this.progressNotify = request.getProgressNotify();
    this.fragment = request.getFragment();
    this.floor = Math.max(0, startRevision - 1);
    this.skipReserved = SystemKeys.skipsReserved(range);
  }

  /** True if the event is for this watch (range, filters, start revision). */
  boolean wants(KvEvent event, byte[] key) {
    if (event.revision() <= floor) {
      return false;
    }
    if (event.type() == KvEvent.Type.PUT ? noPut : noDelete) {
      return false;
    }
    return singleKey != null ? singleKey.equals(event.kv().getKey()) : covers(key);
  }

  /** True if the type filters let the event through (range already matched). */
  boolean wantsType(KvEvent.Type type) {
    return type == KvEvent.Type.PUT ? !noPut : !noDelete;
  }

  boolean covers(byte[] key) {
    return range.contains(key) && !(skipReserved && SystemKeys.isReserved(key));
  }

  @Override
  public String toString() {
    return "watch " + id;
  }
}
