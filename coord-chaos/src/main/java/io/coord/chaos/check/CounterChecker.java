package io.coord.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Json;
import io.coord.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Exactly-once counter. Each {@code incr} carries a request id unique in the history (the
 * client retries it under that id across failovers); the counter's value, as {@code read} and
 * {@code final-read} return it, is the list of ids applied, so its length is the count and a
 * duplicate is visible. Per key:
 * <ul>
 *   <li>no read holds an id twice (an add applied twice);
 *   <li>every id read belongs to an {@code incr} that did not fail;
 *   <li>every {@code incr} acknowledged before a read began is in that read (none lost);
 *   <li>a read holds every id of every read that completed before it began (never backwards);
 *   <li>hence the final value lies in [acknowledged, acknowledged + unknown] adds.
 * </ul>
 * A counter key without an acknowledged {@code final-read} makes the verdict unknown.
 */
public final class CounterChecker implements Checker {
  public static final String NAME = "exactly-once-counter";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(History history) {
    return history.fs().contains(F.INCR);
  }

  @Override
  public CheckResult check(History history, FaultLog faults) {
    Map<String, List<Operation>> byKey = history.byKey(List.of(F.INCR, F.READ, F.FINAL_READ));
    byKey.values().removeIf(ops -> ops.stream().noneMatch(op -> op.f().equals(F.INCR)));
    List<Anomaly> anomalies = new ArrayList<>();
    List<String> unread = new ArrayList<>();
    List<String> finals = new ArrayList<>();
    for (Map.Entry<String, List<Operation>> key : byKey.entrySet()) {
      String verdict = checkKey(key.getKey(), key.getValue(), history.origin(), anomalies);
      if (verdict == null) {
        unread.add(key.getKey());
      } else {
        finals.add(verdict);
      }
    }
    String summary = byKey.size() + " counters" + (finals.isEmpty() ? ""
        : ": " + String.join("; ", finals));
    if (!unread.isEmpty()) {
      return CheckResult.unknownUnlessFailed(NAME, summary, "no final read of "
          + String.join(", ", unread), anomalies);
    }
    return CheckResult.of(NAME, summary, anomalies);
  }

  /** Checks one counter; returns a description of its final value, or null if never read. */
  private static String checkKey(String key, List<Operation> ops, long origin,
      List<Anomaly> anomalies) {
    Map<String, Operation> adds = new HashMap<>();
    List<Operation> reads = new ArrayList<>();
    int acknowledged = 0;
    int unknown = 0;
    for (Operation op : ops) {
      if (op.f().equals(F.INCR)) {
        Operation previous = adds.put(Json.canonical(op.input()), op);
        if (previous != null) {
          throw new IllegalArgumentException("counter " + key + ": request id " + op.input()
              + " used by two incr operations; ids must be unique in the history");
        }
        acknowledged += op.isOk() ? 1 : 0;
        unknown += op.isInfo() ? 1 : 0;
      } else if (op.isOk()) {
        if (!op.output().isArray()) {
          throw new IllegalArgumentException("counter " + key + ": read must return the list of"
              + " applied ids, got " + op.output());
        }
        reads.add(op);
      }
    }
    for (Operation read : reads) {
      checkRead(key, read, adds, origin, anomalies);
    }
    checkNeverBackwards(key, reads, adds, origin, anomalies);
    Operation last = reads.stream().filter(r -> r.f().equals(F.FINAL_READ))
        .max(Comparator.comparingLong(Operation::invokeTime)).orElse(null);
    if (last == null) {
      return null;
    }
    return key + " = " + last.output().size() + " in [" + acknowledged + ", "
        + (acknowledged + unknown) + "]";
  }

  private static void checkRead(String key, Operation read, Map<String, Operation> adds,
      long origin, List<Anomaly> anomalies) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (JsonNode id : read.output()) {
      counts.merge(Json.canonical(id), 1, Integer::sum);
    }
    for (Map.Entry<String, Integer> id : counts.entrySet()) {
      Operation add = adds.get(id.getKey());
      if (id.getValue() > 1) {
        anomalies.add(new Anomaly("duplicate-apply", "counter " + key + ": add " + id.getKey()
            + " applied " + id.getValue() + " times according to " + read.describe(origin)
            + (add == null ? "" : "; the add: " + add.describe(origin))));
      }
      if (add == null) {
        anomalies.add(new Anomaly("phantom-add", "counter " + key + ": " + read.describe(origin)
            + " holds id " + id.getKey() + ", which no incr carried"));
      } else if (add.isFail()) {
        anomalies.add(new Anomaly("phantom-add", "counter " + key + ": " + read.describe(origin)
            + " holds id " + id.getKey() + ", whose incr failed: " + add.describe(origin)));
      }
    }
    for (Map.Entry<String, Operation> add : adds.entrySet()) {
      Operation op = add.getValue();
      if (op.isOk() && op.completeTime() < read.invokeTime() && !counts.containsKey(add.getKey())) {
        anomalies.add(new Anomaly("lost-add", "counter " + key + ": " + op.describe(origin)
            + " was acknowledged but is missing from " + read.describe(origin)));
      }
    }
  }

  /** Every id a completed read saw must be in every read that began after it completed. */
  private static void checkNeverBackwards(String key, List<Operation> reads,
      Map<String, Operation> adds, long origin, List<Anomaly> anomalies) {
    List<Operation> byCompletion = reads.stream()
        .sorted(Comparator.comparingLong(Operation::completeTime)).toList();
    List<Operation> byInvocation = reads.stream()
        .sorted(Comparator.comparingLong(Operation::invokeTime)).toList();
    Map<String, Operation> seenBy = new LinkedHashMap<>();
    int completed = 0;
    for (Operation read : byInvocation) {
      while (completed < byCompletion.size()
          && byCompletion.get(completed).completeTime() < read.invokeTime()) {
        Operation earlier = byCompletion.get(completed++);
        for (JsonNode id : earlier.output()) {
          seenBy.putIfAbsent(Json.canonical(id), earlier);
        }
      }
      Set<String> ids = new HashSet<>();
      read.output().forEach(id -> ids.add(Json.canonical(id)));
      for (Map.Entry<String, Operation> seen : seenBy.entrySet()) {
        Operation add = adds.get(seen.getKey());
        boolean reportedAsLost = add != null && add.isOk()
            && add.completeTime() < read.invokeTime();
        if (!ids.contains(seen.getKey()) && !reportedAsLost) {
          anomalies.add(new Anomaly("counter-went-backwards", "counter " + key + ": id "
              + seen.getKey() + " seen by " + seen.getValue().describe(origin)
              + " is missing from the later " + read.describe(origin)));
        }
      }
    }
  }
}
