package io.coord.server.watch;

import io.coord.proto.v1.Event;
import io.coord.proto.v1.ResponseHeader;
import io.coord.server.kv.EventLog;
import io.coord.server.kv.KvEvent;
import io.coord.server.kv.KvMeta;
import io.coord.server.storage.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * One bounded round of catching a watch up from the stored history: the watch's events of
 * revisions {@code [from, upTo]}, whole revisions only, stopping early at a revision boundary
 * once the watch's free buffer or the round's scan budget is used up.
 *
 * @param responses the responses to queue, in order
 * @param nextRevision the first revision this round did not cover
 * @param compactRevision set (non-zero) if {@code from} is at or below the compact revision:
 *     the watch cannot be served and nothing else is set
 */
record CatchUp(List<Outgoing> responses, long nextRevision, long lastRevision,
    long compactRevision) {
  /** Events looked at per round at most (whole revisions), matching or not. */
  static final int SCAN_PER_ROUND = 10_000;

  static CatchUp read(Reader reader, KvMeta meta, Watcher watcher, long from, long upTo,
      long maxEvents, long maxBytes, LongFunction<ResponseHeader> headers) {
    if (from <= meta.compactRevision()) {
      return new CatchUp(List.of(), from, 0, meta.compactRevision());
    }
    long to = Math.min(upTo, meta.revision());
    Responses responses = new Responses(watcher, headers);
    long next = to + 1;
    long scanned = 0;
    long events = 0;
    long bytes = 0;
    try (EventLog log = EventLog.scan(reader, from, to)) {
      long groupRevision = -1;
      List<Event> group = new ArrayList<>();
      while (log.next()) {
        long revision = log.revision();
        if (revision != groupRevision) {
          if (!group.isEmpty()) {
            responses.addRevision(groupRevision, group);
            group = new ArrayList<>();
          }
          if (groupRevision != -1
              && (scanned >= SCAN_PER_ROUND || events >= maxEvents || bytes >= maxBytes)) {
            next = revision;
            break;
          }
          groupRevision = revision;
        }
        scanned++;
        if (!watcher.covers(log.key())) {
          continue;
        }
        KvEvent event = log.event(watcher.prevKv);
        if (!watcher.wantsType(event.type())) {
          continue;
        }
        Event proto = Responses.toProto(event, watcher.prevKv);
        group.add(proto);
        events++;
        bytes += proto.getSerializedSize();
      }
      if (!group.isEmpty()) {
        responses.addRevision(groupRevision, group);
      }
    }
    return new CatchUp(responses.build(), next, responses.lastRevision(), 0);
  }
}
