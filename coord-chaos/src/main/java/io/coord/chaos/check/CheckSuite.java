package io.coord.chaos.check;

import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every checker, run on whatever a history holds: each checker that
 * {@linkplain Checker#appliesTo applies} runs; one that throws (a malformed operation) yields
 * an unknown result naming the problem. The command line and the chaos runner both use this.
 */
public final class CheckSuite {
  private final List<Checker> checkers;

  /**
   * Settings of the checkers.
   *
   * @param budget bound of each key's linearizability search
   * @param electionTimeout the cluster's maximum election timeout (session expiry bound)
   * @param sessionSlack allowance of the session expiry bounds
   * @param availabilityWindow window of the availability figure
   * @param maxWriteUnavailability longest acceptable write unavailability after a leader
   *     loss, or null to report the figure only
   */
  public record Options(SearchBudget budget, Duration electionTimeout, Duration sessionSlack,
      Duration availabilityWindow, Duration maxWriteUnavailability) {

    /**
     * Defaults: 1.2 s of election timeout (above Coord's default maximum, 0.8 s), 100 ms slack
     * and windows.
     */
    public static Options defaults() {
      return new Options(SearchBudget.DEFAULT, Duration.ofMillis(1200), Duration.ofMillis(100),
          Duration.ofMillis(100), null);
    }

    public Options withBudget(SearchBudget value) {
      return new Options(value, electionTimeout, sessionSlack, availabilityWindow,
          maxWriteUnavailability);
    }

    public Options withElectionTimeout(Duration value) {
      return new Options(budget, value, sessionSlack, availabilityWindow, maxWriteUnavailability);
    }

    public Options withSessionSlack(Duration value) {
      return new Options(budget, electionTimeout, value, availabilityWindow,
          maxWriteUnavailability);
    }

    public Options withAvailabilityWindow(Duration value) {
      return new Options(budget, electionTimeout, sessionSlack, value, maxWriteUnavailability);
    }

    public Options withMaxWriteUnavailability(Duration value) {
      return new Options(budget, electionTimeout, sessionSlack, availabilityWindow, value);
    }
  }

  public CheckSuite(List<Checker> checkers) {
    this.checkers = List.copyOf(checkers);
  }

  /** All the checkers of this module, configured by {@code options}. */
  public static CheckSuite standard(Options options) {
    return new CheckSuite(List.of(
        new LinearizabilityChecker(options.budget()),
        new LostWriteChecker(),
        new CounterChecker(),
        new LockChecker(),
        new SessionChecker(options.electionTimeout(), options.sessionSlack()),
        new WatchChecker(),
        new ConvergenceChecker(),
        new AvailabilityChecker(options.availabilityWindow(), options.maxWriteUnavailability())));
  }

  /** Runs the applicable checkers, in suite order. */
  public List<CheckResult> run(History history, FaultLog faults) {
    List<CheckResult> results = new ArrayList<>();
    for (Checker checker : checkers) {
      if (!checker.appliesTo(history)) {
        continue;
      }
      try {
        results.add(checker.check(history, faults));
      } catch (RuntimeException e) {
        results.add(new CheckResult(checker.name(), Verdict.UNKNOWN,
            "could not check: " + e.getMessage(), List.of()));
      }
    }
    return results;
  }

  /** The verdict of a run: FAIL if any failed, else UNKNOWN if any was unknown or none ran. */
  public static Verdict verdict(List<CheckResult> results) {
    Verdict verdict = results.isEmpty() ? Verdict.UNKNOWN : Verdict.PASS;
    for (CheckResult result : results) {
      verdict = verdict.and(result.verdict());
    }
    return verdict;
  }
}
