package io.coord.chaos.check;

import java.util.List;

/**
 * What one checker concluded about a history.
 *
 * @param checker the checker's name
 * @param verdict pass, fail or unknown
 * @param summary one line: what was checked and, if unknown, why
 * @param anomalies the violations; empty unless the verdict is {@link Verdict#FAIL}
 */
public record CheckResult(String checker, Verdict verdict, String summary,
    List<Anomaly> anomalies) {

  public CheckResult {
    anomalies = List.copyOf(anomalies);
  }

  /** FAIL if there are anomalies, else PASS. */
  public static CheckResult of(String checker, String summary, List<Anomaly> anomalies) {
    return new CheckResult(checker, anomalies.isEmpty() ? Verdict.PASS : Verdict.FAIL, summary,
        anomalies);
  }

  /** FAIL if there are anomalies, else UNKNOWN with {@code reason} appended to the summary. */
  public static CheckResult unknownUnlessFailed(String checker, String summary, String reason,
      List<Anomaly> anomalies) {
    if (!anomalies.isEmpty()) {
      return new CheckResult(checker, Verdict.FAIL, summary + "; " + reason, anomalies);
    }
    return new CheckResult(checker, Verdict.UNKNOWN, summary + "; " + reason, anomalies);
  }

  /** True only for {@link Verdict#PASS}. */
  public boolean valid() {
    return verdict == Verdict.PASS;
  }
}
