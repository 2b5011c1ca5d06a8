package io.coord.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.Event;
import io.coord.chaos.history.EventType;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Json;
import io.coord.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Compares the checker with an obviously correct brute-force search (every subset of the
 * unknown operations, every order) on thousands of small random histories, linearizable or not.
 * Guards the search and every shortcut of the preparation (clamping, dropping, placeholders).
 */
class BruteForceCrossCheckTest {
  private static final int[] VALUES = {1, 2, 3};

  @Test
  void agreesWithBruteForceOnSmallRandomHistories() {
    Random random = new Random(20261126);
    int linearizable = 0;
    int checked = 3_000;
    for (int i = 0; i < checked; i++) {
      History history = i % 2 == 0
          ? randomHistory(random, 4 + random.nextInt(4), random.nextBoolean())
          : generatedHistory(random);
      boolean expected = BruteForce.linearizable(history.operations());

      Verdict verdict = new LinearizabilityChecker().checkKeys(history).verdict();

      assertThat(verdict).as("history %d:%n%s", i, describe(history))
          .isEqualTo(expected ? Verdict.PASS : Verdict.FAIL);
      linearizable += expected ? 1 : 0;
    }
    assertThat(linearizable).as("a fair mix of linearizable and not").isBetween(
        checked / 5, checked * 4 / 5);
  }

  private static History randomHistory(Random random, int count, boolean uniqueWrites) {
    List<Event> events = new ArrayList<>();
    int processes = 2 + random.nextInt(2);
    long[] free = new long[processes];
    long[] ids = new long[processes];
    for (int p = 0; p < processes; p++) {
      ids[p] = p;
    }
    long nextId = processes;
    int nextValue = 1;
    for (int i = 0; i < count; i++) {
      int p = random.nextInt(processes);
      long invoke = free[p] + random.nextInt(3);
      long complete = invoke + random.nextInt(4);
      free[p] = complete + 1;
      Object input = null;
      Object output;
      String f;
      EventType type = EventType.OK;
      String error = null;
      int r = random.nextInt(10);
      int written = uniqueWrites ? nextValue++ : VALUES[random.nextInt(VALUES.length)];
      if (r < 4) {
        f = "read";
        output = someValue(random, uniqueWrites, nextValue);
      } else if (r < 7) {
        f = "write";
        input = written;
        output = written;
      } else if (r < 8) {
        f = "delete";
        output = null;
      } else {
        f = "cas";
        Object expected = someValue(random, uniqueWrites, nextValue);
        input = Arrays.asList(expected, written);
        output = input;
      }
      int outcome = random.nextInt(10);
      if (outcome == 0) {
        type = EventType.INFO;
        output = null;
      } else if (outcome == 1) {
        type = EventType.FAIL;
        error = f.equals("cas") && random.nextBoolean() ? "mismatch" : "unavailable";
      } else if (outcome < 4 && f.equals("cas")) {
        type = EventType.FAIL;
        error = "mismatch";
      }
      events.add(Event.of(ids[p], EventType.INVOKE, f, "x", Json.of(input), invoke));
      if (!(type == EventType.INFO && random.nextBoolean())) {
        events.add(new Event(ids[p], type, f, "x", Json.of(output), complete, error, null));
      }
      if (type == EventType.INFO) {
        ids[p] = nextId++;
      }
    }
    events.sort((a, b) -> Long.compare(a.time(), b.time()));
    boolean anyWriter = events.stream().anyMatch(e -> !e.f().equals("read"));
    if (!anyWriter) {
      events.add(Event.of(99, EventType.INVOKE, "write", "x", Json.of(99), 100));
      events.add(Event.of(99, EventType.FAIL, "write", "x", Json.of(99), 101));
    }
    return History.of(events);
  }

  /**
   * A small history generated from a sequential register (linearizable), with one read's
   * result replaced by a random value half of the time.
   */
  private static History generatedHistory(Random random) {
    List<RegisterHistoryGenerator.GenOp> ops =
        new RegisterHistoryGenerator(random.nextLong(), 3, 1, 0.3).generate(4 + random.nextInt(4));
    if (random.nextBoolean()) {
      ops.stream().filter(op -> op.f.equals("read")).findFirst()
          .ifPresent(read -> read.output = random.nextInt(4) == 0 ? null : 1 + random.nextInt(5));
    }
    return History.of(RegisterHistoryGenerator.events(ops));
  }

  /** Null, or a value likely written already. */
  private static Object someValue(Random random, boolean uniqueWrites, int nextValue) {
    if (random.nextInt(5) == 0) {
      return null;
    }
    if (uniqueWrites) {
      return nextValue <= 1 ? 1 : Math.max(1, nextValue - 1 - random.nextInt(3));
    }
    return VALUES[random.nextInt(VALUES.length)];
  }

  private static String describe(History history) {
    StringBuilder out = new StringBuilder();
    for (Operation op : history.operations()) {
      out.append("  ").append(op.describe(0)).append('\n');
    }
    return out.toString();
  }

  /** Tries every subset of unknown writes and every order of the operations. */
  static final class BruteForce {
    static boolean linearizable(List<Operation> all) {
      List<Operation> definite = new ArrayList<>();
      List<Operation> unknown = new ArrayList<>();
      for (Operation op : all) {
        boolean read = op.f().equals("read");
        if (op.isOk() || (op.isFail() && "mismatch".equals(op.error()))) {
          definite.add(op);
        } else if (op.isInfo() && !read) {
          unknown.add(op);
        }
      }
      for (int mask = 0; mask < 1 << unknown.size(); mask++) {
        List<Operation> chosen = new ArrayList<>(definite);
        for (int i = 0; i < unknown.size(); i++) {
          if ((mask & (1 << i)) != 0) {
            chosen.add(unknown.get(i));
          }
        }
        if (someOrderWorks(chosen, new boolean[chosen.size()], new ArrayList<>(), null)) {
          return true;
        }
      }
      return false;
    }

    private static boolean someOrderWorks(List<Operation> ops, boolean[] used,
        List<Operation> order, Object state) {
      if (order.size() == ops.size()) {
        return true;
      }
      for (int i = 0; i < ops.size(); i++) {
        if (used[i] || !mayGoNext(ops, used, i)) {
          continue;
        }
        Object[] next = step(ops.get(i), state);
        if (next == null) {
          continue;
        }
        used[i] = true;
        order.add(ops.get(i));
        if (someOrderWorks(ops, used, order, next[0])) {
          return true;
        }
        order.remove(order.size() - 1);
        used[i] = false;
      }
      return false;
    }

    /** No unused operation completed before this one was invoked. */
    private static boolean mayGoNext(List<Operation> ops, boolean[] used, int candidate) {
      for (int j = 0; j < ops.size(); j++) {
        if (!used[j] && j != candidate
            && ops.get(j).returnTime() < ops.get(candidate).invokeTime()) {
          return false;
        }
      }
      return true;
    }

    /** The next state in a one-element array, or null if the outcome is impossible. */
    private static Object[] step(Operation op, Object state) {
      switch (op.f()) {
        case "read" -> {
          Object read = value(op.output());
          return Objects.equals(read, state) ? new Object[] {state} : null;
        }
        case "write" -> {
          return new Object[] {value(op.input())};
        }
        case "delete" -> {
          return new Object[] {null};
        }
        default -> {
          Object expected = value(op.input().get(0));
          Object written = value(op.input().get(1));
          boolean matches = Objects.equals(expected, state);
          if (op.isOk()) {
            return matches ? new Object[] {written} : null;
          }
          if (op.isFail()) {
            return matches ? null : new Object[] {state};
          }
          return new Object[] {matches ? written : state};
        }
      }
    }

    private static Object value(com.fasterxml.jackson.databind.JsonNode node) {
      return node == null || node.isNull() ? null : node.asInt();
    }
  }
}
