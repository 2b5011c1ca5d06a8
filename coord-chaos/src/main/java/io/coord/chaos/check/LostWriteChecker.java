package io.coord.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Json;
import io.coord.chaos.history.Operation;
import io.coord.chaos.history.Times;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * No acknowledged write is lost: every {@code final-read} (taken after healing) reflects every
 * write acknowledged before it began.
 *
 * <ul>
 *   <li>Register keys ({@code write}, {@code cas}, {@code delete}): the final value must have
 *       been written by a write, cas or delete (of absent) that did not fail, and no
 *       acknowledged write may have begun after that writer completed (it would have to come
 *       later, so the final value would be its or a later one). The initial absent state counts
 *       as a writer preceding everything.
 *   <li>Set keys ({@code add}): the final read, a list, contains every acknowledged element,
 *       each at most once, and nothing that was never added or whose add failed.
 * </ul>
 * Counter keys ({@code incr}) are left to {@link CounterChecker}. A key with acknowledged
 * writes but no acknowledged final read makes the verdict unknown.
 */
public final class LostWriteChecker implements Checker {
  public static final String NAME = "lost-writes";
  private static final Set<String> REGISTER_WRITES = Set.of(F.WRITE, F.CAS, F.DELETE);
  private static final Set<String> CONSIDERED =
      Set.of(F.WRITE, F.CAS, F.DELETE, F.ADD, F.INCR, F.FINAL_READ);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(History history) {
    Set<String> counters = new HashSet<>();
    history.operations(F.INCR).forEach(op -> counters.add(op.key()));
    return history.operations(F.FINAL_READ).stream().anyMatch(op -> !counters.contains(op.key()));
  }

  @Override
  public CheckResult check(History history, FaultLog faults) {
    Map<String, List<Operation>> byKey = history.byKey(CONSIDERED);
    long origin = history.origin();
    List<Anomaly> anomalies = new ArrayList<>();
    List<String> unread = new ArrayList<>();
    int checkedKeys = 0;
    int acknowledged = 0;
    for (Map.Entry<String, List<Operation>> entry : byKey.entrySet()) {
      List<Operation> ops = entry.getValue();
      if (has(ops, F.INCR)) {
        continue;
      }
      boolean set = has(ops, F.ADD);
      List<Operation> writes = ops.stream().filter(op -> set ? op.f().equals(F.ADD)
          : REGISTER_WRITES.contains(op.f())).toList();
      List<Operation> finals = ops.stream()
          .filter(op -> op.f().equals(F.FINAL_READ) && op.isOk()).toList();
      long acked = writes.stream().filter(Operation::isOk).count();
      acknowledged += (int) acked;
      if (finals.isEmpty()) {
        if (acked > 0) {
          unread.add(entry.getKey());
        }
        continue;
      }
      checkedKeys++;
      for (Operation read : finals) {
        if (set) {
          checkSet(entry.getKey(), writes, read, origin, anomalies);
        } else {
          checkRegister(entry.getKey(), writes, read, origin, anomalies);
        }
      }
    }
    String summary = checkedKeys + " keys with a final read, " + acknowledged
        + " acknowledged writes";
    if (!unread.isEmpty()) {
      return CheckResult.unknownUnlessFailed(NAME, summary, "no final read of "
          + String.join(", ", unread), anomalies);
    }
    return CheckResult.of(NAME, summary, anomalies);
  }

  private static boolean has(List<Operation> ops, String f) {
    return ops.stream().anyMatch(op -> op.f().equals(f));
  }

  private static JsonNode written(Operation write) {
    return switch (write.f()) {
      case F.CAS -> write.input().get(1);
      case F.DELETE -> NullNode.getInstance();
      default -> write.input();
    };
  }

  /**
   * Among the writers that may have left the final value (the initial absent state, written
   * as null, precedes everything), takes the one that loses the fewest acknowledged writes —
   * those invoked after it completed — and reports what it loses.
   */
  private static void checkRegister(String key, List<Operation> writes, Operation read,
      long origin, List<Anomaly> anomalies) {
    List<Operation> ackedBefore = writes.stream()
        .filter(w -> w.isOk() && w.completeTime() < read.invokeTime()).toList();
    String finalValue = Json.canonical(read.output());
    List<Operation> candidates = new ArrayList<>(writes.stream().filter(w -> !w.isFail())
        .filter(w -> Json.canonical(written(w)).equals(finalValue)).toList());
    if (read.output().isNull()) {
      candidates.add(null);
    }
    if (candidates.isEmpty()) {
      anomalies.add(new Anomaly("phantom-value", "key " + key + ": final read "
          + read.describe(origin) + " returned " + finalValue
          + ", which no write that did not fail wrote"));
      return;
    }
    Operation best = null;
    List<Operation> fewestLost = null;
    for (Operation writer : candidates) {
      List<Operation> lost = ackedBefore.stream()
          .filter(w -> w != writer && (writer == null || writer.precedes(w))).toList();
      if (fewestLost == null || lost.size() < fewestLost.size()) {
        best = writer;
        fewestLost = lost;
      }
    }
    String source = best == null ? "the initial absent state"
        : best.describe(origin) + ", which completed at "
            + Times.relative(best.completeTime(), origin) + ", before the lost write began";
    for (Operation w : fewestLost) {
      anomalies.add(new Anomaly("lost-write", "key " + key + ": " + w.describe(origin)
          + " was acknowledged but the final read " + read.describe(origin)
          + " returned the value of " + source));
    }
  }

  private static void checkSet(String key, List<Operation> adds, Operation read, long origin,
      List<Anomaly> anomalies) {
    if (!read.output().isArray()) {
      throw new IllegalArgumentException("final read of set key " + key
          + " must return a list, got " + read.output());
    }
    Map<String, Integer> seen = new LinkedHashMap<>();
    for (JsonNode element : read.output()) {
      seen.merge(Json.canonical(element), 1, Integer::sum);
    }
    Map<String, Operation> byElement = new HashMap<>();
    Set<String> possible = new HashSet<>();
    for (Operation add : adds) {
      String element = Json.canonical(add.input());
      byElement.put(element, add);
      if (!add.isFail()) {
        possible.add(element);
      }
      if (add.isOk() && add.completeTime() < read.invokeTime() && !seen.containsKey(element)) {
        anomalies.add(new Anomaly("lost-write", "key " + key + ": " + add.describe(origin)
            + " was acknowledged but is missing from the final read " + read.describe(origin)));
      }
    }
    for (Map.Entry<String, Integer> element : seen.entrySet()) {
      if (element.getValue() > 1) {
        anomalies.add(new Anomaly("duplicate-element", "key " + key + ": final read "
            + read.describe(origin) + " holds " + element.getKey() + " " + element.getValue()
            + " times"));
      }
      if (!possible.contains(element.getKey())) {
        Operation add = byElement.get(element.getKey());
        anomalies.add(new Anomaly("phantom-value", "key " + key + ": final read holds "
            + element.getKey() + ", " + (add == null ? "which was never added"
            : "whose add failed: " + add.describe(origin))));
      }
    }
  }
}
