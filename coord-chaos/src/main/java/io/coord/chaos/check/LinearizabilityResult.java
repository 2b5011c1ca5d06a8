package io.coord.chaos.check;

import io.coord.chaos.history.Times;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-key linearizability verdicts of a register history.
 *
 * @param keys one result per key, in key order
 */
public record LinearizabilityResult(List<KeyResult> keys) {

  public LinearizabilityResult {
    keys = List.copyOf(keys);
  }

  /** FAIL if any key is not linearizable, else UNKNOWN if any key's search ran out, else PASS. */
  public Verdict verdict() {
    Verdict verdict = Verdict.PASS;
    for (KeyResult key : keys) {
      verdict = verdict.and(key.verdict());
    }
    return verdict;
  }

  /** The result of one key, or null if the key had no register operations. */
  public KeyResult key(String key) {
    return keys.stream().filter(k -> k.key().equals(key)).findFirst().orElse(null);
  }

  /** The report form: a summary line and one anomaly per non-linearizable key. */
  public CheckResult toCheckResult(String checker, long origin) {
    int operations = 0;
    long nanos = 0;
    int[] counts = new int[Verdict.values().length];
    List<Anomaly> anomalies = new ArrayList<>();
    List<String> unknown = new ArrayList<>();
    for (KeyResult key : keys) {
      operations += key.operations();
      nanos += key.elapsed().toNanos();
      counts[key.verdict().ordinal()]++;
      if (key.verdict() == Verdict.FAIL) {
        anomalies.add(new Anomaly("not-linearizable", "key " + key.key() + ": " + key.note()
            + "\n  " + key.window().render(origin)));
      } else if (key.verdict() == Verdict.UNKNOWN) {
        unknown.add(key.key() + " (" + key.note() + ")");
      }
    }
    String summary = keys.size() + " keys, " + operations + " operations: "
        + counts[Verdict.PASS.ordinal()] + " linearizable, " + counts[Verdict.FAIL.ordinal()]
        + " not linearizable, " + counts[Verdict.UNKNOWN.ordinal()] + " unknown; searched in "
        + Times.duration(nanos);
    if (!unknown.isEmpty()) {
      String reason = "budget exhausted on " + String.join(", ", unknown);
      return CheckResult.unknownUnlessFailed(checker, summary, reason, anomalies);
    }
    return CheckResult.of(checker, summary, anomalies);
  }
}
