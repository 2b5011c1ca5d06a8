package io.coord.chaos.check;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The Wing–Gong–Lowe linearizability search over one register.
 *
 * <p>Invocations and returns form one time-ordered list (at equal times invocations first, so
 * operations that touch are concurrent). The search walks the list: at an invocation it tries
 * to linearize that operation next (the model must accept its recorded outcome, and the
 * resulting configuration — the set of linearized operations plus the register value — must
 * not have been explored already, see {@link ConfigurationSet}); at a return it has run out of
 * candidates for the operation that must be linearized by then, and backtracks. The history is
 * linearizable when the list empties.
 */
final class WglSearch {
  private static final int NONE = -1;
  private static final int TIME_CHECK_INTERVAL = 4096;

  /** The answer, with the deepest point reached for reports. */
  record Outcome(Verdict verdict, long exploredStates, Stuck deepest) {
  }

  /**
   * The configuration with the most operations linearized at which the search had to
   * backtrack.
   *
   * @param prefix indexes of the linearized operations, in linearization order
   * @param state the register value after them
   * @param blocked index of the operation whose return was reached without linearizing it
   */
  record Stuck(int[] prefix, int state, int blocked) {
  }

  private final List<RegisterOp> ops;
  private final SearchBudget budget;
  private final int n;
  private final int head;
  private final int[] next;
  private final int[] prev;
  /** For a {@code WRITE_UNSEEN} write, the one invoked just before it (linearized first), or -1. */
  private final int[] follows;

  private WglSearch(List<RegisterOp> ops, SearchBudget budget) {
    this.ops = ops;
    this.budget = budget;
    this.n = ops.size();
    this.head = 2 * n;
    this.next = new int[2 * n + 1];
    this.prev = new int[2 * n + 1];
    this.follows = chainUnseenWrites(ops);
  }

  private static int[] chainUnseenWrites(List<RegisterOp> ops) {
    int[] follows = new int[ops.size()];
    Arrays.fill(follows, NONE);
    Integer[] order = new Integer[ops.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingLong((Integer i) -> ops.get(i).invoke())
        .thenComparingInt(i -> i));
    int previous = NONE;
    for (int i : order) {
      if (ops.get(i).kind() == RegisterOp.Kind.WRITE_UNSEEN) {
        follows[i] = previous;
        previous = i;
      }
    }
    return follows;
  }

  /** Searches for a linearization of {@code ops} starting from the absent register (0). */
  static Outcome run(List<RegisterOp> ops, SearchBudget budget) {
    return new WglSearch(ops, budget).search();
  }

  // Event e < n is the invocation of operation e; event e >= n (and < 2n) is the return of e - n.
  private boolean isCall(int event) {
    return event < n;
  }

  private long time(int event) {
    return isCall(event) ? ops.get(event).invoke() : ops.get(event - n).ret();
  }

  private void linkInTimeOrder() {
    Integer[] order = new Integer[2 * n];
    for (int i = 0; i < 2 * n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingLong((Integer e) -> time(e))
        .thenComparingInt(e -> isCall(e) ? 0 : 1)
        .thenComparingInt(e -> e));
    int last = head;
    for (Integer event : order) {
      next[last] = event;
      prev[event] = last;
      last = event;
    }
    next[last] = NONE;
    prev[head] = NONE;
  }

  private void unlink(int event) {
    next[prev[event]] = next[event];
    if (next[event] != NONE) {
      prev[next[event]] = prev[event];
    }
  }

  private void relink(int event) {
    next[prev[event]] = event;
    if (next[event] != NONE) {
      prev[next[event]] = event;
    }
  }

  private Outcome search() {
    linkInTimeOrder();
    long deadline = System.nanoTime() + budget.maxTime().toNanos();
    ConfigurationSet explored = new ConfigurationSet(n);
    long setHigh = 0;
    long setLow = 0;
    long[] linearized = new long[(n + 63) / 64];
    int[] stackOp = new int[n];
    int[] stackState = new int[n];
    int depth = 0;
    int state = 0;
    Stuck deepest = null;
    long steps = 0;
    int entry = next[head];
    while (next[head] != NONE) {
      if (++steps % TIME_CHECK_INTERVAL == 0 && System.nanoTime() > deadline) {
        return new Outcome(Verdict.UNKNOWN, explored.size(), deepest);
      }
      if (isCall(entry)) {
        int candidate = entry;
        int after = follows[candidate] == NONE || isSet(linearized, follows[candidate])
            ? ops.get(candidate).step(state) : -1;
        if (after >= 0 && explored.add(setHigh ^ explored.keyHigh(candidate),
            setLow ^ explored.keyLow(candidate), after)) {
          if (explored.size() > budget.maxStates()) {
            return new Outcome(Verdict.UNKNOWN, explored.size(), deepest);
          }
          set(linearized, candidate);
          setHigh ^= explored.keyHigh(candidate);
          setLow ^= explored.keyLow(candidate);
          stackOp[depth] = candidate;
          stackState[depth] = state;
          depth++;
          state = after;
          unlink(candidate);
          unlink(candidate + n);
          entry = next[head];
          continue;
        }
        entry = next[entry];
      } else {
        if (deepest == null || depth > deepest.prefix().length) {
          deepest = new Stuck(Arrays.copyOf(stackOp, depth), state, entry - n);
        }
        if (depth == 0) {
          return new Outcome(Verdict.FAIL, explored.size(), deepest);
        }
        depth--;
        int undone = stackOp[depth];
        state = stackState[depth];
        clear(linearized, undone);
        setHigh ^= explored.keyHigh(undone);
        setLow ^= explored.keyLow(undone);
        relink(undone + n);
        relink(undone);
        entry = next[undone];
      }
    }
    return new Outcome(Verdict.PASS, explored.size(), deepest);
  }

  private static boolean isSet(long[] bits, int i) {
    return (bits[i >>> 6] & (1L << i)) != 0;
  }

  private static void set(long[] bits, int i) {
    bits[i >>> 6] |= 1L << i;
  }

  private static void clear(long[] bits, int i) {
    bits[i >>> 6] &= ~(1L << i);
  }

  /** The indexes of {@code prefix} as operations, for reports. */
  static List<RegisterOp> resolve(List<RegisterOp> ops, int[] prefix) {
    List<RegisterOp> resolved = new ArrayList<>(prefix.length);
    for (int i : prefix) {
      resolved.add(ops.get(i));
    }
    return resolved;
  }
}
