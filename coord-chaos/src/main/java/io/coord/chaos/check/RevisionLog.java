package io.coord.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.chaos.history.F;
import io.coord.chaos.history.Json;
import io.coord.chaos.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The committed history of the store, revision by revision: the ground truth watches are
 * checked against. Either complete — from a {@code final-revisions} read: every revision from
 * its first to its last, with all of their events — or partial, from the acknowledged writes
 * that reported their revision.
 */
final class RevisionLog {
  private final NavigableMap<Long, List<KvEvent>> byRevision;
  private final long compactRevision;
  private final boolean complete;

  private RevisionLog(NavigableMap<Long, List<KvEvent>> byRevision, long compactRevision,
      boolean complete) {
    this.byRevision = byRevision;
    this.compactRevision = compactRevision;
    this.complete = complete;
  }

  /**
   * Parses a {@code final-revisions} result:
   * {@code {"compact_revision": C, "revisions": [{"revision": R, "events": [...]}, ...]}}.
   *
   * @throws IllegalArgumentException if revisions are missing between the first and the last
   */
  static RevisionLog fromFinalRevisions(Operation read) {
    JsonNode value = read.output();
    NavigableMap<Long, List<KvEvent>> byRevision = new TreeMap<>();
    Long previous = null;
    for (JsonNode revision : value.path("revisions")) {
      long r = revision.path("revision").asLong();
      if (previous != null && r != previous + 1) {
        throw new IllegalArgumentException("final-revisions must list every revision: "
            + previous + " is followed by " + r);
      }
      previous = r;
      List<KvEvent> events = new ArrayList<>();
      for (JsonNode event : revision.path("events")) {
        events.add(KvEvent.parse(event, r));
      }
      byRevision.put(r, events);
    }
    return new RevisionLog(byRevision, value.path("compact_revision").asLong(0), true);
  }

  /** The revisions known from acknowledged writes that reported one. */
  static RevisionLog fromAcknowledged(List<Operation> ops) {
    NavigableMap<Long, List<KvEvent>> byRevision = new TreeMap<>();
    for (Operation op : ops) {
      KvEvent event = acknowledgedEvent(op);
      if (event != null) {
        byRevision.computeIfAbsent(event.revision(), r -> new ArrayList<>()).add(event);
      }
    }
    return new RevisionLog(byRevision, 0, false);
  }

  /** The change an acknowledged write with a revision made, or null. */
  static KvEvent acknowledgedEvent(Operation op) {
    if (!op.isOk() || op.revision() == null || op.key() == null) {
      return null;
    }
    return switch (op.f()) {
      case F.WRITE -> new KvEvent(KvEvent.PUT, op.key(), Json.canonical(op.input()),
          op.revision());
      case F.CAS -> new KvEvent(KvEvent.PUT, op.key(), Json.canonical(op.input().get(1)),
          op.revision());
      case F.DELETE -> new KvEvent(KvEvent.DELETE, op.key(), null, op.revision());
      default -> null;
    };
  }

  /** True if every event of {@code revision} is known. */
  boolean covers(long revision) {
    return complete && byRevision.containsKey(revision);
  }

  /** True if built from a final read of every revision. */
  boolean complete() {
    return complete;
  }

  /** Revisions below this are compacted away (0 if unknown). */
  long compactRevision() {
    return compactRevision;
  }

  /** The known events of {@code revision}, in commit order. */
  List<KvEvent> events(long revision) {
    return byRevision.getOrDefault(revision, List.of());
  }

  /** The known revisions from {@code from} to {@code to}, inclusive, in order. */
  Iterable<Long> revisions(long from, long to) {
    return byRevision.subMap(from, true, to, true).keySet();
  }

  /** The first known revision, or 0 if none. */
  long first() {
    return byRevision.isEmpty() ? 0 : byRevision.firstKey();
  }

  /** The last known revision, or 0 if none. */
  long last() {
    return byRevision.isEmpty() ? 0 : byRevision.lastKey();
  }

  /** Number of known revisions. */
  int size() {
    return byRevision.size();
  }
}
