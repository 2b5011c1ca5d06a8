package io.coord.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.coord.chaos.check.RegisterOp.Kind;
import io.coord.chaos.history.F;
import io.coord.chaos.history.Json;
import io.coord.chaos.history.Operation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The register operations of one key, prepared for the search. A {@code delete} is a write of
 * "absent" (JSON null).
 *
 * <p>Preparation: failed operations are dropped (they did not happen), except a {@code cas}
 * failed with error {@code mismatch}, which observed that the register did not hold the
 * expected value; reads of unknown outcome are dropped (they changed nothing and nobody saw
 * their result); writes and compare-and-sets of unknown outcome may take effect at any time after
 * their invocation, or never. {@link #clamp} and the dropping of unobserved unknown writes
 * shrink the search without changing its answer.
 */
final class RegisterHistory {
  /** The error of a {@code cas} completion that means "the register did not hold expected". */
  static final String MISMATCH = "mismatch";
  /** How reports show the placeholder value of {@link Kind#WRITE_UNSEEN} writes. */
  private static final JsonNode UNSEEN =
      TextNode.valueOf("<value of an unacknowledged write that nobody saw>");

  private final String key;
  private final List<RegisterOp> ops;
  private final List<JsonNode> values;

  private RegisterHistory(String key, List<RegisterOp> ops, List<JsonNode> values) {
    this.key = key;
    this.ops = ops;
    this.values = values;
  }

  String key() {
    return key;
  }

  /** The prepared operations, clamped, unobserved unknown writes dropped. */
  List<RegisterOp> ops() {
    return ops;
  }

  /** The JSON value of a value number; 0 is JSON null (the key is absent). */
  JsonNode value(int id) {
    return values.get(id);
  }

  /**
   * Prepares the operations of one key.
   *
   * @throws IllegalArgumentException for a {@code cas} whose value is not {@code [expected, new]}
   */
  static RegisterHistory of(String key, List<Operation> operations) {
    Map<String, Integer> ids = new HashMap<>();
    List<JsonNode> values = new ArrayList<>();
    values.add(NullNode.getInstance());
    ids.put(Json.canonical(NullNode.getInstance()), 0);
    List<RegisterOp> ops = new ArrayList<>();
    for (Operation op : operations) {
      RegisterOp prepared = prepare(op, value -> ids.computeIfAbsent(Json.canonical(value), k -> {
        values.add(value);
        return values.size() - 1;
      }));
      if (prepared != null) {
        ops.add(prepared);
      }
    }
    values.add(UNSEEN);
    List<RegisterOp> prepared = markUnseen(dropUnobservedUnknowns(ops), values.size() - 1);
    return new RegisterHistory(key, clamp(prepared), List.copyOf(values));
  }

  private interface Ids {
    int of(JsonNode value);
  }

  private static RegisterOp prepare(Operation op, Ids ids) {
    long ret = op.returnTime();
    switch (op.f()) {
      case F.READ, F.FINAL_READ -> {
        return op.isOk() ? new RegisterOp(Kind.READ, ids.of(op.output()), 0, op.invokeTime(), ret,
            op) : null;
      }
      case F.WRITE -> {
        return op.isFail() ? null
            : new RegisterOp(Kind.WRITE, ids.of(op.input()), 0, op.invokeTime(), ret, op);
      }
      case F.DELETE -> {
        return op.isFail() ? null : new RegisterOp(Kind.WRITE, 0, 0, op.invokeTime(), ret, op);
      }
      case F.CAS -> {
        JsonNode pair = op.input();
        if (!pair.isArray() || pair.size() != 2) {
          throw new IllegalArgumentException("cas by p" + op.process() + " on key " + op.key()
              + " has value " + pair + ", expected [expected, new]");
        }
        int expected = ids.of(pair.get(0));
        int next = ids.of(pair.get(1));
        if (op.isOk()) {
          return new RegisterOp(Kind.CAS, expected, next, op.invokeTime(), ret, op);
        }
        if (op.isInfo()) {
          return new RegisterOp(Kind.CAS_UNKNOWN, expected, next, op.invokeTime(), ret, op);
        }
        return MISMATCH.equals(op.error())
            ? new RegisterOp(Kind.CAS_MISMATCH, expected, 0, op.invokeTime(), ret, op) : null;
      }
      default -> {
        return null;
      }
    }
  }

  /**
   * Drops unknown writes whose value no operation reads or expects, when no {@code cas} of the
   * key was refused for a mismatch: such a write can always be placed after everything else, so
   * "never happened" explains it as well as any other placement.
   */
  static List<RegisterOp> dropUnobservedUnknowns(List<RegisterOp> ops) {
    Set<Integer> referenced = new HashSet<>();
    for (RegisterOp op : ops) {
      if (op.kind() == Kind.CAS_MISMATCH) {
        return ops;
      }
      if (op.kind() != Kind.WRITE) {
        referenced.add(op.a());
      }
    }
    return ops.stream().filter(op -> !(op.unknown() && !referenced.contains(op.written())))
        .toList();
  }

  /**
   * Turns unknown writes whose value no other operation mentions (read, expected by any
   * compare-and-set) into {@link Kind#WRITE_UNSEEN} writes of one shared placeholder value.
   */
  static List<RegisterOp> markUnseen(List<RegisterOp> ops, int placeholder) {
    Set<Integer> mentioned = new HashSet<>();
    for (RegisterOp op : ops) {
      if (op.kind() != Kind.WRITE) {
        mentioned.add(op.a());
      }
    }
    return ops.stream().map(op -> op.kind() == Kind.WRITE && op.unknown()
        && !mentioned.contains(op.a()) ? op.unseen(placeholder) : op).toList();
  }

  /**
   * Bounds each unknown write by the first definite observation of its value: with values
   * unique per key, the write must take effect before the first acknowledged read or
   * compare-and-set that saw its value returned. Values written by more than one operation are
   * left alone, and so is "absent", which the register also held initially. Pure: works on any
   * subset of a key's operations.
   */
  static List<RegisterOp> clamp(List<RegisterOp> ops) {
    Map<Integer, Integer> writers = new HashMap<>();
    Map<Integer, Long> firstSeen = new HashMap<>();
    for (RegisterOp op : ops) {
      if (op.writes()) {
        writers.merge(op.written(), 1, Integer::sum);
      }
      if (op.observes()) {
        firstSeen.merge(op.a(), op.ret(), Math::min);
      }
    }
    List<RegisterOp> clamped = new ArrayList<>(ops.size());
    for (RegisterOp op : ops) {
      if (op.unknown() && op.writes() && op.written() != 0 && writers.get(op.written()) == 1) {
        Long seen = firstSeen.get(op.written());
        long ret = seen == null ? Long.MAX_VALUE : Math.max(op.invoke(), seen);
        clamped.add(op.withRet(ret));
      } else {
        clamped.add(op);
      }
    }
    return clamped;
  }
}
