package io.coord.chaos.check;

import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.HistoryFormatException;
import io.coord.chaos.history.HistoryReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * Checks a recorded run from the command line:
 * {@code java -cp coord-chaos.jar:jackson... io.coord.chaos.check.CheckHistory [options] DIR}
 * reads {@code DIR/history.jsonl} and, if present, {@code DIR/faults.jsonl}, runs every
 * applicable checker, prints one line per checker, the anomalies, and a last line with the
 * verdict. Exit status: 0 all passed, 1 a checker failed, 2 undecided (unknown), 64 usage or
 * unreadable files.
 */
public final class CheckHistory {
  static final int PASSED = 0;
  static final int FAILED = 1;
  static final int UNDECIDED = 2;
  static final int USAGE = 64;
  /** Anomalies printed per checker; the count of the rest is printed. */
  static final int MAX_ANOMALIES_SHOWN = 20;

  private static final String USAGE_TEXT = """
      usage: CheckHistory [options] DIR
        reads DIR/history.jsonl (and DIR/faults.jsonl if present) and checks it
        --election-timeout-ms=N   cluster's maximum election timeout (default 1200)
        --session-slack-ms=N      allowance of session expiry bounds (default 100)
        --max-states=N            linearizability search states per key (default 2000000)
        --max-search-seconds=N    linearizability search time per key (default 60)
        --window-ms=N             availability window (default 100)
        --max-unavailability-ms=N fail if writes stay unavailable longer after a leader loss
      exit status: 0 pass, 1 fail, 2 unknown, 64 usage or unreadable input""";

  private CheckHistory() {
  }

  public static void main(String[] args) {
    System.exit(run(args, System.out, System.err));
  }

  /** Runs the command; returns its exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    CheckSuite.Options options = CheckSuite.Options.defaults();
    Path dir = null;
    try {
      for (String arg : args) {
        if (arg.startsWith("--")) {
          options = option(options, arg);
        } else if (dir == null) {
          dir = Path.of(arg);
        } else {
          throw new IllegalArgumentException("more than one directory: " + arg);
        }
      }
      if (dir == null) {
        throw new IllegalArgumentException("no directory given");
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE_TEXT);
      return USAGE;
    }
    Path historyFile = dir.resolve("history.jsonl");
    History history;
    FaultLog faults;
    try {
      if (!Files.isRegularFile(historyFile)) {
        err.println("no history: " + historyFile + " is not a file");
        return USAGE;
      }
      history = HistoryReader.read(historyFile);
      faults = FaultLog.read(dir.resolve("faults.jsonl"));
    } catch (IOException | HistoryFormatException e) {
      err.println("cannot read " + dir + ": " + e.getMessage());
      return USAGE;
    }
    List<CheckResult> results = CheckSuite.standard(options).run(history, faults);
    report(history, faults, results, historyFile, out);
    return switch (CheckSuite.verdict(results)) {
      case PASS -> PASSED;
      case FAIL -> FAILED;
      case UNKNOWN -> UNDECIDED;
    };
  }

  /**
   * Prints the report of checked results: a header naming {@code file}, one line per checker,
   * the anomalies of failing checkers and a last line with the verdict.
   */
  public static void report(History history, FaultLog faults, List<CheckResult> results,
      Path file, PrintStream out) {
    out.printf(Locale.ROOT, "%s: %d operations, %d faults (%d leader losses)%s%n", file,
        history.operations().size(), faults.intervals().size(), faults.leaderLosses().size(),
        history.truncatedTail() ? "; last line cut short and skipped" : "");
    for (CheckResult result : results) {
      out.printf(Locale.ROOT, "%-7s %-21s %s%n", result.verdict(), result.checker(),
          result.summary());
    }
    for (CheckResult result : results) {
      if (result.anomalies().isEmpty()) {
        continue;
      }
      out.println();
      out.println(result.checker() + ": " + result.anomalies().size() + " anomalies");
      result.anomalies().stream().limit(MAX_ANOMALIES_SHOWN)
          .map(anomaly -> anomaly.toString().replace("\n", "\n    "))
          .forEach(anomaly -> out.println("  - " + anomaly));
      if (result.anomalies().size() > MAX_ANOMALIES_SHOWN) {
        out.println("  ... and " + (result.anomalies().size() - MAX_ANOMALIES_SHOWN) + " more");
      }
    }
    Verdict verdict = CheckSuite.verdict(results);
    long failed = results.stream().filter(r -> r.verdict() == Verdict.FAIL).count();
    long unknown = results.stream().filter(r -> r.verdict() == Verdict.UNKNOWN).count();
    out.printf(Locale.ROOT, "VERDICT %s: %d checkers, %d failed, %d unknown%n", verdict,
        results.size(), failed, unknown);
  }

  private static CheckSuite.Options option(CheckSuite.Options o, String arg) {
    int eq = arg.indexOf('=');
    if (eq < 0) {
      throw new IllegalArgumentException("option needs a value: " + arg);
    }
    String name = arg.substring(2, eq);
    long value;
    try {
      value = Long.parseLong(arg.substring(eq + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + arg);
    }
    if (value <= 0) {
      throw new IllegalArgumentException("must be positive: " + arg);
    }
    Duration ms = Duration.ofMillis(value);
    SearchBudget budget = o.budget();
    return switch (name) {
      case "election-timeout-ms" -> o.withElectionTimeout(ms);
      case "session-slack-ms" -> o.withSessionSlack(ms);
      case "max-states" -> o.withBudget(new SearchBudget(value, budget.maxTime()));
      case "max-search-seconds" ->
          o.withBudget(new SearchBudget(budget.maxStates(), Duration.ofSeconds(value)));
      case "window-ms" -> o.withAvailabilityWindow(ms);
      case "max-unavailability-ms" -> o.withMaxWriteUnavailability(ms);
      default -> throw new IllegalArgumentException("unknown option: " + arg);
    };
  }
}
