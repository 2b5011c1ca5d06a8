package io.coord.chaos.run;

import io.coord.chaos.check.Availability;
import io.coord.chaos.check.CheckResult;
import io.coord.chaos.check.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a chaos run concluded.
 *
 * @param verdict every checker's verdict combined
 * @param results the checkers' results (with the harness's own: member crashes, fault evidence)
 * @param availability the availability figure, if any write was attempted
 * @param injected how many faults of each kind were injected
 * @param operations operations completed: ok, fail, info
 * @param dir the run directory
 * @param summary the one-line verdict
 */
public record RunResult(Verdict verdict, List<CheckResult> results,
    Optional<Availability> availability, Map<String, Integer> injected, long[] operations,
    Path dir, String summary) {

  /** The result of the named checker, if it ran. */
  public Optional<CheckResult> result(String checker) {
    return results.stream().filter(r -> r.checker().equals(checker)).findFirst();
  }
}
