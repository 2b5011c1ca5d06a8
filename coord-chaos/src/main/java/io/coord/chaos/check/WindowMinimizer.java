package io.coord.chaos.check;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Shrinks a non-linearizable set of register operations to a small one that is still not
 * linearizable: first to the operations invoked before the point where the search got stuck,
 * then by removing ever smaller groups of operations while the rest still fails. A write whose
 * value a remaining read or compare-and-set saw is never removed, so the window never "fails"
 * merely because a value appears from nowhere; nor is the last write before a remaining refused
 * compare-and-set that could explain the refusal (a value other than the expected one), so the
 * window never "fails" merely because a refusal lost its reason.
 */
final class WindowMinimizer {
  private final SearchBudget perCheck;
  private final long deadline;
  private boolean exhausted;

  private WindowMinimizer(SearchBudget perCheck, Duration total) {
    this.perCheck = perCheck;
    this.deadline = System.nanoTime() + total.toNanos();
  }

  /** The shrunk window and whether shrinking ran to the end within its time. */
  record Window(List<RegisterOp> ops, boolean minimal) {
  }

  /**
   * Shrinks {@code failing}, a set known not to be linearizable.
   *
   * @param stuckAt time by which the full search could not extend any linearization
   */
  static Window minimize(List<RegisterOp> failing, long stuckAt, SearchBudget perCheck,
      Duration total) {
    return new WindowMinimizer(perCheck, total).run(failing, stuckAt);
  }

  private Window run(List<RegisterOp> failing, long stuckAt) {
    List<RegisterOp> current = failing;
    List<RegisterOp> prefix = withNeededWrites(
        failing.stream().filter(op -> op.invoke() <= stuckAt).toList(), failing);
    if (prefix.size() < failing.size() && fails(prefix)) {
      current = prefix;
    }
    for (int chunk = Math.max(1, current.size() / 2); chunk >= 1 && !exhausted; chunk /= 2) {
      current = removeChunks(current, chunk);
    }
    int before;
    do {
      before = current.size();
      current = removeChunks(current, 1);
    } while (current.size() < before && !exhausted);
    return new Window(current, !exhausted);
  }

  private List<RegisterOp> removeChunks(List<RegisterOp> current, int chunk) {
    int i = 0;
    while (i < current.size() && !exhausted) {
      Set<Integer> needed = neededWrites(current, current);
      List<RegisterOp> candidate = new ArrayList<>(current.size());
      boolean removedAny = false;
      for (int j = 0; j < current.size(); j++) {
        RegisterOp op = current.get(j);
        boolean inChunk = j >= i && j < i + chunk;
        if (inChunk && !(op.writes() && needed.contains(op.written()))) {
          removedAny = true;
        } else {
          candidate.add(op);
        }
      }
      if (removedAny && fails(candidate)) {
        current = candidate;
      } else {
        i += chunk;
      }
    }
    return current;
  }

  /**
   * {@code subset} plus, from {@code all}, every write of a value that an acknowledged read or
   * compare-and-set in the result saw; in the order of {@code all}.
   */
  private static List<RegisterOp> withNeededWrites(List<RegisterOp> subset,
      List<RegisterOp> all) {
    Set<RegisterOp> chosen = new HashSet<>(subset);
    boolean grew = true;
    while (grew) {
      Set<Integer> needed = neededWrites(List.copyOf(chosen), all);
      grew = false;
      for (RegisterOp op : all) {
        if (op.writes() && needed.contains(op.written()) && chosen.add(op)) {
          grew = true;
        }
      }
    }
    return all.stream().filter(chosen::contains).toList();
  }

  /**
   * Values that an acknowledged read or compare-and-set of {@code ops} saw, and for each refused
   * compare-and-set of {@code ops}, the value of the last write in {@code pool} invoked before
   * the refusal returned that differs from the expected value.
   */
  private static Set<Integer> neededWrites(List<RegisterOp> ops, List<RegisterOp> pool) {
    Set<Integer> needed = new HashSet<>();
    for (RegisterOp op : ops) {
      if (op.observes()) {
        needed.add(op.a());
      } else if (op.kind() == RegisterOp.Kind.CAS_MISMATCH) {
        RegisterOp reason = null;
        for (RegisterOp write : pool) {
          if (write.writes() && write.written() != op.a() && write.invoke() < op.ret()
              && (reason == null || write.invoke() > reason.invoke())) {
            reason = write;
          }
        }
        if (reason != null) {
          needed.add(reason.written());
        }
      }
    }
    return needed;
  }

  private boolean fails(List<RegisterOp> candidate) {
    if (System.nanoTime() > deadline) {
      exhausted = true;
      return false;
    }
    return WglSearch.run(RegisterHistory.clamp(candidate), perCheck).verdict() == Verdict.FAIL;
  }
}
