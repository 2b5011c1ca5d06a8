package io.coord.chaos.check;

import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Operation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks that the register operations ({@code read}, {@code final-read}, {@code write},
 * {@code cas}, {@code delete}) of every key are linearizable, one key at a time (a map of
 * independent registers is linearizable iff each register is). A key is a register unless
 * another workload's operations ({@code add}, {@code incr}) address it. See
 * {@link RegisterHistory} for how each outcome is modelled and {@link WglSearch} for the search.
 */
public final class LinearizabilityChecker implements Checker {
  public static final String NAME = "linearizability";

  private static final Set<String> FS =
      Set.of(F.READ, F.FINAL_READ, F.WRITE, F.CAS, F.DELETE);
  private static final Set<String> OTHER_WORKLOADS = Set.of(F.ADD, F.INCR);
  private static final long MINIMIZE_STATES = 100_000;
  private static final Duration MINIMIZE_TIME = Duration.ofSeconds(10);

  private final SearchBudget budget;

  /** A checker with {@link SearchBudget#DEFAULT}. */
  public LinearizabilityChecker() {
    this(SearchBudget.DEFAULT);
  }

  /** A checker bounding each key's search by {@code budget}. */
  public LinearizabilityChecker(SearchBudget budget) {
    this.budget = budget;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(History history) {
    return !registerKeys(history).isEmpty();
  }

  @Override
  public CheckResult check(History history, FaultLog faults) {
    return checkKeys(history).toCheckResult(NAME, history.origin());
  }

  /** Checks every register key of the history. */
  public LinearizabilityResult checkKeys(History history) {
    List<KeyResult> results = new ArrayList<>();
    for (Map.Entry<String, List<Operation>> key : registerKeys(history).entrySet()) {
      results.add(checkKey(RegisterHistory.of(key.getKey(), key.getValue()), history.origin()));
    }
    return new LinearizabilityResult(results);
  }

  /** The register operations of each register key, in key order. */
  private static Map<String, List<Operation>> registerKeys(History history) {
    Map<String, List<Operation>> byKey = history.byKey(FS);
    history.operations(OTHER_WORKLOADS).forEach(op -> byKey.remove(op.key()));
    return byKey;
  }

  private KeyResult checkKey(RegisterHistory register, long origin) {
    long start = System.nanoTime();
    List<RegisterOp> ops = register.ops();
    WglSearch.Outcome outcome = WglSearch.run(ops, budget);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    return switch (outcome.verdict()) {
      case PASS -> new KeyResult(register.key(), Verdict.PASS, ops.size(),
          outcome.exploredStates(), elapsed, "", null);
      case UNKNOWN -> new KeyResult(register.key(), Verdict.UNKNOWN, ops.size(),
          outcome.exploredStates(), elapsed, "search budget exhausted after "
          + outcome.exploredStates() + " states", null);
      case FAIL -> failed(register, outcome, elapsed, origin);
    };
  }

  private KeyResult failed(RegisterHistory register, WglSearch.Outcome outcome,
      Duration elapsed, long origin) {
    List<RegisterOp> ops = register.ops();
    WglSearch.Stuck stuck = outcome.deepest();
    RegisterOp blocked = ops.get(stuck.blocked());
    String note = "the search linearized at most " + stuck.prefix().length + " of " + ops.size()
        + " operations, then could not place " + blocked.source().describe(origin);
    SearchBudget perCheck = new SearchBudget(Math.min(MINIMIZE_STATES, budget.maxStates()),
        budget.maxTime().compareTo(MINIMIZE_TIME) < 0 ? budget.maxTime() : MINIMIZE_TIME);
    WindowMinimizer.Window window = WindowMinimizer.minimize(ops, blocked.ret(), perCheck,
        perCheck.maxTime());
    List<RegisterOp> windowOps = RegisterHistory.clamp(window.ops());
    WglSearch.Outcome windowOutcome = WglSearch.run(windowOps, budget);
    boolean minimal = window.minimal();
    if (windowOutcome.verdict() != Verdict.FAIL) {
      windowOps = ops;
      windowOutcome = outcome;
      minimal = false;
    }
    return new KeyResult(register.key(), Verdict.FAIL, ops.size(), outcome.exploredStates(),
        elapsed, note, describe(register, windowOps, windowOutcome.deepest(), minimal));
  }

  private static FailureWindow describe(RegisterHistory register, List<RegisterOp> windowOps,
      WglSearch.Stuck stuck, boolean minimal) {
    List<Operation> ops = windowOps.stream().map(RegisterOp::source)
        .sorted(Comparator.comparingLong(Operation::invokeTime)).toList();
    long from = ops.stream().mapToLong(Operation::invokeTime).min().orElse(0);
    long to = ops.stream().mapToLong(Operation::completeTime)
        .filter(t -> t != Long.MAX_VALUE).max()
        .orElse(ops.stream().mapToLong(Operation::invokeTime).max().orElse(0));
    List<Operation> prefix = WglSearch.resolve(windowOps, stuck.prefix()).stream()
        .map(RegisterOp::source).toList();
    return new FailureWindow(ops, from, to, prefix, register.value(stuck.state()).toString(),
        windowOps.get(stuck.blocked()).source(), minimal);
  }
}
