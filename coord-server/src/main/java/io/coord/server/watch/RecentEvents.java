package io.coord.server.watch;

import io.coord.server.kv.KvEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The events of the last few revisions the hub saw, contiguous up to the hub's revision. A
 * watch that caught up from history to revision R while apply moved on to R' takes (R, R'] from
 * here, under the hub's lock, and becomes synced without a gap: catch-up always converges, and
 * apply never waits for a history read. Guarded by the hub's lock.
 */
final class RecentEvents {
  static final int MAX_EVENTS = 4096;
  static final long MAX_BYTES = 8L << 20;

  private record Revision(long revision, List<KvEvent> events, long bytes) {}

  private final Deque<Revision> revisions = new ArrayDeque<>();
  private long events;
  private long bytes;

  /** Appends the next revision (one greater than the last one added, unless just cleared). */
  void add(long revision, List<KvEvent> revisionEvents) {
    if (!revisions.isEmpty() && revisions.peekLast().revision != revision - 1) {
      clear();
    }
    long size = 0;
    for (KvEvent event : revisionEvents) {
      size += event.kv().getSerializedSize()
          + (event.prevKv() == null ? 0 : event.prevKv().getSerializedSize());
    }
    revisions.addLast(new Revision(revision, List.copyOf(revisionEvents), size));
    events += revisionEvents.size();
    bytes += size;
    while (revisions.size() > 1 && (events > MAX_EVENTS || bytes > MAX_BYTES)) {
      Revision oldest = revisions.pollFirst();
      events -= oldest.events.size();
      bytes -= oldest.bytes;
    }
  }

  void clear() {
    revisions.clear();
    events = 0;
    bytes = 0;
  }

  /**
   * The events of revisions {@code [from, to]}, grouped by revision, or null unless every one of
   * those revisions is held here.
   */
  List<List<KvEvent>> span(long from, long to) {
    if (from > to) {
      return List.of();
    }
    if (revisions.isEmpty() || revisions.peekFirst().revision > from
        || revisions.peekLast().revision < to) {
      return null;
    }
    List<List<KvEvent>> out = new ArrayList<>();
    for (Revision revision : revisions) {
      if (revision.revision >= from && revision.revision <= to) {
        out.add(revision.events);
      }
    }
    return out;
  }
}
