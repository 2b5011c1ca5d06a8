package io.coord.chaos.check;

import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * etcd's watch guarantees, checked for every {@code watch} operation against the committed
 * revision history ({@link RevisionLog}: the last {@code final-revisions} read, or, lacking one,
 * the acknowledged writes that reported their revision — then the verdict is at best unknown).
 * <ul>
 *   <li>ordered: event revisions never decrease along the stream, and the events of one
 *       revision come in the order the history lists them;
 *   <li>unique: no (revision, key) event twice in a stream;
 *   <li>atomic: all events of one revision in one response;
 *   <li>reliable and resumable: every event of the history that the watch selects, from its start
 *       revision to the last revision it covered (last event or progress notification), was
 *       delivered — none at the start, none in a gap, no revision delivered partially;
 *   <li>bookmarkable: a progress notification at revision P comes after every selected event
 *       up to P, and no event at or below P follows it;
 *   <li>correct: every delivered event is in the history as delivered, selected by the filter,
 *       not before the start revision;
 *   <li>a watch refused as "compacted" asked for a revision below the compact revision;
 *   <li>the history itself holds every acknowledged write at the revision it reported.
 * </ul>
 */
public final class WatchChecker implements Checker {
  public static final String NAME = "watch";
  /** The error of a watch refused because its start revision was compacted. */
  public static final String COMPACTED = "compacted";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(History history) {
    return history.fs().contains(F.WATCH);
  }

  @Override
  public CheckResult check(History history, FaultLog faults) {
    List<Operation> finals = history.operations(F.FINAL_REVISIONS).stream()
        .filter(Operation::isOk).toList();
    RevisionLog log = finals.isEmpty() ? RevisionLog.fromAcknowledged(history.operations())
        : RevisionLog.fromFinalRevisions(finals.get(finals.size() - 1));
    long origin = history.origin();
    List<Anomaly> anomalies = new ArrayList<>();
    if (log.complete()) {
      checkAcknowledgedWritesInLog(history, log, origin, anomalies);
    }
    int streams = 0;
    int events = 0;
    for (Operation op : history.operations(F.WATCH)) {
      WatchStream stream = WatchStream.parse(op);
      streams++;
      if (op.isFail()) {
        checkRefusal(stream, log, origin, anomalies);
      } else {
        events += new StreamCheck(stream, log, origin, anomalies).run();
      }
    }
    String summary = streams + " watch streams, " + events + " events delivered, checked against "
        + (log.complete() ? "the final revision history " + log.first() + ".." + log.last()
            : log.size() + " revisions of acknowledged writes");
    if (!log.complete()) {
      return CheckResult.unknownUnlessFailed(NAME, summary,
          "no final-revisions read, so events nobody acknowledged could not be checked",
          anomalies);
    }
    return CheckResult.of(NAME, summary, anomalies);
  }

  private static void checkAcknowledgedWritesInLog(History history, RevisionLog log,
      long origin, List<Anomaly> anomalies) {
    for (Operation op : history.operations()) {
      KvEvent acked = RevisionLog.acknowledgedEvent(op);
      if (acked == null || acked.revision() < Math.max(log.first(), log.compactRevision())) {
        continue;
      }
      boolean present = log.events(acked.revision()).stream().anyMatch(acked::sameChange);
      if (!present) {
        anomalies.add(new Anomaly("acknowledged-write-missing", op.describe(origin)
            + " reported revision " + acked.revision() + ", but the final revision history has "
            + (log.covers(acked.revision()) ? log.events(acked.revision()) : "no such revision")));
      }
    }
  }

  private static void checkRefusal(WatchStream stream, RevisionLog log, long origin,
      List<Anomaly> anomalies) {
    if (COMPACTED.equals(stream.op().error()) && log.complete() && stream.start() > 0
        && stream.start() >= log.compactRevision()) {
      anomalies.add(new Anomaly("resume-refused", "watch " + stream.name() + " "
          + stream.op().describe(origin) + " was refused as compacted, but revision "
          + stream.start() + " is at or above the compact revision " + log.compactRevision()));
    }
  }

  /** The checks of one delivered stream. */
  private static final class StreamCheck {
    private final WatchStream stream;
    private final RevisionLog log;
    private final long origin;
    private final List<Anomaly> anomalies;
    private final Map<String, Integer> deliveredIn = new HashMap<>();
    private final Map<String, KvEvent> deliveredEvent = new HashMap<>();
    private final Map<Long, Integer> revisionIn = new HashMap<>();
    private final Map<Long, List<KvEvent>> byRevision = new HashMap<>();
    private final Set<String> reportedMissing = new HashSet<>();
    private long highest;
    private long lastProgress;
    private long firstDelivered;

    StreamCheck(WatchStream stream, RevisionLog log, long origin, List<Anomaly> anomalies) {
      this.stream = stream;
      this.log = log;
      this.origin = origin;
      this.anomalies = anomalies;
    }

    /** Runs every check; returns the number of events delivered. */
    int run() {
      int delivered = 0;
      for (int i = 0; i < stream.responses().size(); i++) {
        WatchStream.Response response = stream.responses().get(i);
        if (response.progress()) {
          checkBookmark(response.revision(), i);
          lastProgress = Math.max(lastProgress, response.revision());
        }
        for (KvEvent event : response.events()) {
          checkDelivered(event, i);
          delivered++;
        }
      }
      checkOrderWithinRevisions();
      checkNothingMissed();
      return delivered;
    }

    private long start() {
      return stream.start() > 0 ? stream.start() : firstDelivered;
    }

    private static String id(KvEvent event) {
      return event.revision() + "/" + event.key();
    }

    private void checkDelivered(KvEvent event, int response) {
      long r = event.revision();
      if (firstDelivered == 0) {
        firstDelivered = r;
      }
      if (stream.start() > 0 && r < stream.start()) {
        add("event-before-start", event + " is before the start revision " + stream.start());
      }
      if (!stream.matches(event.key())) {
        add("event-outside-filter", event + " does not match the watched "
            + (stream.prefix() ? "prefix " : "key ") + stream.key());
      }
      if (r < highest) {
        add("reordered", event + " (response " + response + ") came after an event at revision "
            + highest);
      }
      Integer earlier = deliveredIn.putIfAbsent(id(event), response);
      deliveredEvent.putIfAbsent(id(event), event);
      if (earlier != null) {
        add("duplicate-event", event + " delivered twice (responses " + earlier + " and "
            + response + ")");
      }
      Integer sameRevision = revisionIn.putIfAbsent(r, response);
      if (sameRevision != null && sameRevision != response) {
        add("split-revision", "revision " + r + " split over responses " + sameRevision + " and "
            + response);
      }
      if (r <= lastProgress) {
        add("event-after-progress", event + " (response " + response
            + ") came after a progress notification at revision " + lastProgress);
      }
      checkInHistory(event);
      byRevision.computeIfAbsent(r, k -> new ArrayList<>()).add(event);
      highest = Math.max(highest, r);
    }

    private void checkInHistory(KvEvent event) {
      List<KvEvent> known = log.events(event.revision());
      if (known.stream().anyMatch(event::sameChange)) {
        return;
      }
      if (log.covers(event.revision())) {
        add("phantom-event", event + " is not in the history, whose revision "
            + event.revision() + " holds " + known);
      } else if (!log.complete() && known.stream().anyMatch(k -> k.key().equals(event.key()))) {
        add("phantom-event", event + " contradicts the acknowledged " + known);
      } else if (log.complete() && event.revision() > log.last()) {
        add("phantom-event", event + " is beyond the last revision " + log.last()
            + " of the history");
      }
    }

    private void checkBookmark(long progress, int response) {
      for (KvEvent expected : expected(start(), progress)) {
        if (!delivered(expected) && reportedMissing.add(id(expected))) {
          add("missed-event", expected + " was not delivered before the progress notification"
              + " at revision " + progress + " (response " + response + ")");
        }
      }
    }

    /** Events of one revision (one transaction) arrive in the transaction's order. */
    private void checkOrderWithinRevisions() {
      for (Map.Entry<Long, List<KvEvent>> revision : byRevision.entrySet()) {
        if (revision.getValue().size() < 2 || !log.covers(revision.getKey())) {
          continue;
        }
        List<String> committed = log.events(revision.getKey()).stream().map(KvEvent::key)
            .filter(revision.getValue().stream().map(KvEvent::key).toList()::contains).toList();
        List<String> delivered = revision.getValue().stream().map(KvEvent::key).distinct()
            .toList();
        if (!committed.equals(delivered)) {
          add("reordered", "revision " + revision.getKey() + " delivered in key order "
              + delivered + ", committed as " + committed);
        }
      }
    }

    private void checkNothingMissed() {
      long covered = Math.max(highest, lastProgress);
      for (KvEvent expected : expected(start(), covered)) {
        if (!delivered(expected) && reportedMissing.add(id(expected))) {
          String where;
          if (deliveredEvent.containsKey(id(expected))) {
            where = "the stream carried " + deliveredEvent.get(id(expected)) + " instead";
          } else if (revisionIn.containsKey(expected.revision())) {
            where = "revision " + expected.revision() + " was delivered partially";
          } else if (expected.revision() < firstDelivered || firstDelivered == 0) {
            where = "the watch from revision " + stream.start() + " skipped it at the start";
          } else {
            where = "a gap in the stream, which covered up to revision " + covered;
          }
          add("missed-event", expected + " was never delivered: " + where);
        }
      }
    }

    /** True if {@code expected} was delivered as it happened, so far. */
    private boolean delivered(KvEvent expected) {
      KvEvent event = deliveredEvent.get(id(expected));
      return event != null && event.sameChange(expected);
    }

    /** The history's events the watch selects with revisions in [from, to]. */
    private List<KvEvent> expected(long from, long to) {
      List<KvEvent> expected = new ArrayList<>();
      if (from <= 0 || to < from) {
        return expected;
      }
      for (long r : log.revisions(from, to)) {
        for (KvEvent event : log.events(r)) {
          if (stream.matches(event.key())) {
            expected.add(event);
          }
        }
      }
      return expected;
    }

    private void add(String kind, String explanation) {
      anomalies.add(new Anomaly(kind, "watch " + stream.name() + " on "
          + (stream.prefix() ? "prefix " : "key ") + stream.key() + " from revision "
          + stream.start() + ": " + explanation));
    }
  }
}
