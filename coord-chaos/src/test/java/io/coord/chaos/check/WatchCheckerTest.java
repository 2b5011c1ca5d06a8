package io.coord.chaos.check;

import static io.coord.chaos.history.EventType.FAIL;
import static io.coord.chaos.history.EventType.OK;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.FaultLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The committed history: r2 put a=1, r3 put b=1, r4 put a=2, r5 a transaction putting a/x=1
 * and a/y=1, r6 delete a. Watches on prefix "a" select r2, r4, r5 (both events) and r6.
 */
class WatchCheckerTest {
  private final WatchChecker checker = new WatchChecker();

  private static Map<String, Object> put(String key, Object value, long revision) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", "put");
    event.put("key", key);
    event.put("value", value);
    event.put("revision", revision);
    return event;
  }

  private static Map<String, Object> delete(String key, long revision) {
    Map<String, Object> event = new LinkedHashMap<>();
    event.put("type", "delete");
    event.put("key", key);
    event.put("revision", revision);
    return event;
  }

  @SafeVarargs
  @SuppressWarnings("varargs")
  private static Map<String, Object> response(long revision, Map<String, Object>... events) {
    return Map.of("revision", revision, "events", copy(events), "progress", false);
  }

  private static List<Object> copy(Object[] elements) {
    List<Object> list = new ArrayList<>();
    for (Object element : elements) {
      list.add(element);
    }
    return list;
  }

  private static Map<String, Object> progress(long revision) {
    return Map.of("revision", revision, "events", List.of(), "progress", true);
  }

  private static final Map<String, Object> R2 = response(2, put("a", 1, 2));
  private static final Map<String, Object> R4 = response(4, put("a", 2, 4));
  private static final Map<String, Object> R5 = response(5, put("a/x", 1, 5), put("a/y", 1, 5));
  private static final Map<String, Object> R6 = response(6, delete("a", 6));

  /** The acknowledged writes and the final revision history, without watches. */
  private static HistoryBuilder store() {
    HistoryBuilder history = new HistoryBuilder()
        .op(1, "write", "a", 1, OK, 1, 0, 10, null, 2L)
        .op(1, "write", "b", 1, OK, 1, 20, 30, null, 3L)
        .op(1, "write", "a", 2, OK, 2, 40, 50, null, 4L)
        .op(1, "delete", "a", null, OK, null, 60, 70, null, 6L);
    List<Object> revisions = new ArrayList<>();
    revisions.add(Map.of("revision", 2, "events", List.of(put("a", 1, 2))));
    revisions.add(Map.of("revision", 3, "events", List.of(put("b", 1, 3))));
    revisions.add(Map.of("revision", 4, "events", List.of(put("a", 2, 4))));
    revisions.add(Map.of("revision", 5, "events", List.of(put("a/x", 1, 5), put("a/y", 1, 5))));
    revisions.add(Map.of("revision", 6, "events", List.of(delete("a", 6))));
    return history.ok(9, "final-revisions", null, null,
        Map.of("compact_revision", 2, "revisions", revisions), 1_000, 1_010);
  }

  @SafeVarargs
  @SuppressWarnings("varargs")
  private static HistoryBuilder watch(HistoryBuilder history, String key, long start,
      Map<String, Object>... responses) {
    return history.ok(5, "watch", key, Map.of("watcher", "w1", "start_revision", start,
        "prefix", true), Map.of("responses", copy(responses)), 0, 900);
  }

  @SafeVarargs
  private final CheckResult checkWatch(long start, Map<String, Object>... responses) {
    return checker.check(watch(store(), "a", start, responses).build(), FaultLog.empty());
  }

  private static List<String> kinds(CheckResult result) {
    return result.anomalies().stream().map(Anomaly::kind).toList();
  }

  @Test
  void aWatchThatDeliversEveryRevisionInOrderPasses() {
    CheckResult result = checkWatch(2, R2, R4, R5, R6);

    assertThat(result.verdict()).as("%s", result.anomalies()).isEqualTo(Verdict.PASS);
    assertThat(result.summary()).isEqualTo("1 watch streams, 5 events delivered, checked against"
        + " the final revision history 2..6");
  }

  @Test
  void aGapIsAMissedEvent() {
    CheckResult result = checkWatch(2, R2, R5, R6);

    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("missed-event");
      assertThat(a.explanation()).isEqualTo("watch w1 on prefix a from revision 2: put a=2 @4"
          + " was never delivered: a gap in the stream, which covered up to revision 6");
    });
  }

  @Test
  void aDuplicateEventIsDetected() {
    assertThat(kinds(checkWatch(2, R2, R4, R4, R5, R6)))
        .containsExactlyInAnyOrder("duplicate-event", "split-revision");
  }

  @Test
  void reorderedRevisionsAreDetected() {
    assertThat(kinds(checkWatch(2, R4, R2, R5, R6))).containsExactly("reordered");
  }

  @Test
  void eventsOfOneTransactionKeepItsOrder() {
    Map<String, Object> swapped = response(5, put("a/y", 1, 5), put("a/x", 1, 5));
    assertThat(kinds(checkWatch(2, R2, R4, swapped, R6))).containsExactly("reordered");
  }

  @Test
  void aRevisionSplitOverTwoResponsesBreaksAtomicity() {
    assertThat(kinds(checkWatch(2, R2, R4, response(5, put("a/x", 1, 5)),
        response(5, put("a/y", 1, 5)), R6))).containsExactly("split-revision");
  }

  @Test
  void aRevisionDeliveredPartiallyIsAMissedEvent() {
    CheckResult result = checkWatch(2, R2, R4, response(5, put("a/x", 1, 5)), R6);
    assertThat(result.anomalies()).singleElement().satisfies(a -> assertThat(a.explanation())
        .endsWith("put a/y=1 @5 was never delivered: revision 5 was delivered partially"));
  }

  @Test
  void aResumedWatchMustStartWithTheFirstEventAtItsStartRevision() {
    assertThat(checkWatch(4, R4, R5, R6).verdict()).isEqualTo(Verdict.PASS);
    CheckResult skipped = checkWatch(4, R5, R6);
    assertThat(skipped.anomalies()).singleElement().satisfies(a -> assertThat(a.explanation())
        .endsWith("put a=2 @4 was never delivered: the watch from revision 4 skipped it at the"
            + " start"));
  }

  @Test
  void aProgressNotificationPromisesEverythingBeforeIt() {
    assertThat(checkWatch(2, R2, R4, R5, progress(5)).verdict()).isEqualTo(Verdict.PASS);
    assertThat(kinds(checkWatch(2, R2, progress(5), R4, R5)))
        .containsExactlyInAnyOrder("missed-event", "missed-event", "missed-event",
            "event-after-progress", "event-after-progress", "event-after-progress");
    assertThat(kinds(checkWatch(2, R2, R4, progress(5))))
        .as("the progress notification at 5 covers the transaction at 5")
        .containsExactly("missed-event", "missed-event");
  }

  @Test
  void eventsNotInTheHistoryOutsideTheFilterOrBeforeTheStartAreDetected() {
    assertThat(kinds(checkWatch(2, R2, response(4, put("a", 9, 4)), R5, R6)))
        .containsExactlyInAnyOrder("phantom-event", "missed-event");
    assertThat(kinds(checkWatch(2, R2, response(3, put("b", 1, 3)), R4, R5, R6)))
        .containsExactly("event-outside-filter");
    assertThat(kinds(checkWatch(4, R2, R4, R5, R6))).containsExactly("event-before-start");
  }

  @Test
  void aWatchRefusedAsCompactedMustHaveAskedForACompactedRevision() {
    HistoryBuilder refused = store().op(5, "watch", "a", Map.of("start_revision", 3),
        FAIL, null, 0, 10, "compacted", null);
    assertThat(kinds(checker.check(refused.build(), FaultLog.empty())))
        .containsExactly("resume-refused");
    HistoryBuilder compacted = store().op(5, "watch", "a", Map.of("start_revision", 1),
        FAIL, null, 0, 10, "compacted", null);
    assertThat(checker.check(compacted.build(), FaultLog.empty()).verdict())
        .isEqualTo(Verdict.PASS);
  }

  @Test
  void theHistoryMustHoldEveryAcknowledgedWriteAtItsRevision() {
    HistoryBuilder history = store()
        .op(2, "write", "a", 3, OK, 3, 80, 90, null, 7L);
    CheckResult result = checker.check(watch(history, "a", 2, R2, R4, R5, R6).build(),
        FaultLog.empty());
    assertThat(result.anomalies()).singleElement().satisfies(a -> {
      assertThat(a.kind()).isEqualTo("acknowledged-write-missing");
      assertThat(a.explanation()).endsWith("reported revision 7, but the final revision history"
          + " has no such revision");
    });
  }

  @Test
  void withoutAFinalRevisionReadTheAcknowledgedWritesAreTheOnlyGroundTruth() {
    HistoryBuilder history = new HistoryBuilder()
        .op(1, "write", "a", 1, OK, 1, 0, 10, null, 2L)
        .op(1, "write", "a", 2, OK, 2, 40, 50, null, 4L);
    CheckResult undecided = checker.check(watch(history, "a", 2, R2, R4).build(),
        FaultLog.empty());
    assertThat(undecided.verdict()).isEqualTo(Verdict.UNKNOWN);
    assertThat(undecided.summary()).contains("checked against 2 revisions of acknowledged"
        + " writes; no final-revisions read");

    history = new HistoryBuilder()
        .op(1, "write", "a", 1, OK, 1, 0, 10, null, 2L)
        .op(1, "write", "a", 2, OK, 2, 40, 50, null, 4L);
    CheckResult gap = checker.check(watch(history, "a", 2, R2, R5).build(), FaultLog.empty());
    assertThat(gap.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(kinds(gap)).containsExactly("missed-event");
  }
}
