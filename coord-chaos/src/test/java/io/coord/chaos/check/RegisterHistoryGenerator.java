package io.coord.chaos.check;

import io.coord.chaos.history.Event;
import io.coord.chaos.history.EventType;
import io.coord.chaos.history.Json;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates register histories that are linearizable by construction: every operation gets a
 * random invocation, duration and linearization point inside its interval; the operations are
 * then applied to a sequential register in linearization-point order to get their results.
 * Some operations time out (info): those take effect at a random point after their invocation
 * (possibly after the timeout) or never, and their process is replaced by a fresh one, as a
 * client that lost track of a request would be.
 */
final class RegisterHistoryGenerator {
  private final Random random;
  private final int processes;
  private final int keys;
  private final double infoRate;

  RegisterHistoryGenerator(long seed, int processes, int keys, double infoRate) {
    this.random = new Random(seed);
    this.processes = processes;
    this.keys = keys;
    this.infoRate = infoRate;
  }

  /** One generated operation; {@code effect} is Long.MAX_VALUE if it never takes effect. */
  static final class GenOp {
    long process;
    String f;
    String key;
    Object input;
    Object output;
    EventType type = EventType.OK;
    String error;
    long invoke;
    long complete;
    long effect;
  }

  /** The operations, each with its outcome filled in. */
  List<GenOp> generate(int count) {
    long[] freeAt = new long[processes];
    long[] processId = new long[processes];
    for (int p = 0; p < processes; p++) {
      processId[p] = p;
    }
    long nextProcess = processes;
    Map<String, Integer> nextValue = new HashMap<>();
    List<GenOp> ops = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int slot = random.nextInt(processes);
      GenOp op = new GenOp();
      op.process = processId[slot];
      op.key = "k" + random.nextInt(keys);
      op.invoke = freeAt[slot] + 1 + random.nextInt(2_000_000);
      op.complete = op.invoke + 100_000 + random.nextInt(5_000_000);
      op.effect = op.invoke + (long) (random.nextDouble() * (op.complete - op.invoke));
      int value = nextValue.merge(op.key, 1, Integer::sum);
      double kind = random.nextDouble();
      if (kind < 0.45) {
        op.f = "read";
      } else if (kind < 0.8) {
        op.f = "write";
        op.input = value;
      } else {
        op.f = "cas";
        int expected = Math.max(0, value - 1 - random.nextInt(3));
        op.input = Arrays.asList(expected == 0 ? null : expected, value);
      }
      if (random.nextDouble() < infoRate) {
        op.type = EventType.INFO;
        op.error = "timeout";
        op.effect = random.nextBoolean() ? Long.MAX_VALUE
            : op.invoke + (long) (random.nextDouble() * 3 * (op.complete - op.invoke));
        processId[slot] = nextProcess++;
      }
      freeAt[slot] = op.complete;
      ops.add(op);
    }
    applyInEffectOrder(ops);
    return ops;
  }

  private static void applyInEffectOrder(List<GenOp> ops) {
    List<GenOp> applied = new ArrayList<>(ops.stream().filter(o -> o.effect != Long.MAX_VALUE)
        .toList());
    applied.sort(Comparator.comparingLong(o -> o.effect));
    Map<String, Object> register = new HashMap<>();
    for (GenOp op : applied) {
      Object current = register.get(op.key);
      switch (op.f) {
        case "read" -> op.output = current;
        case "write" -> {
          register.put(op.key, op.input);
          op.output = op.input;
        }
        default -> {
          List<?> pair = (List<?>) op.input;
          op.output = op.input;
          if (java.util.Objects.equals(current, pair.get(0))) {
            register.put(op.key, pair.get(1));
          } else if (op.type == EventType.OK) {
            op.type = EventType.FAIL;
            op.error = "mismatch";
          }
        }
      }
    }
  }

  /** The events of {@code ops} in time order. */
  static List<Event> events(List<GenOp> ops) {
    List<Event> events = new ArrayList<>();
    for (GenOp op : ops) {
      events.add(Event.of(op.process, EventType.INVOKE, op.f, op.key, Json.of(op.input),
          op.invoke));
      Object output = op.type == EventType.INFO ? null : op.output;
      events.add(new Event(op.process, op.type, op.f, op.key, Json.of(output), op.complete,
          op.error, null));
    }
    events.sort(Comparator.comparingLong(Event::time));
    return events;
  }
}
