package io.coord.chaos.history;

import com.fasterxml.jackson.databind.node.NullNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A recorded history: its events in file order and the operations they pair into.
 *
 * <p>Pairing rules: a process has at most one outstanding operation; a completion belongs to
 * the outstanding invocation of its process and must name the same {@code f} and key; an
 * invocation still outstanding at the end of the history is an {@code info} operation that
 * never completed.
 */
public final class History {
  private final List<Event> events;
  private final List<Operation> operations;
  private final boolean truncatedTail;

  private History(List<Event> events, List<Operation> operations, boolean truncatedTail) {
    this.events = events;
    this.operations = operations;
    this.truncatedTail = truncatedTail;
  }

  /**
   * Pairs events into operations.
   *
   * @throws HistoryFormatException if a process invokes while an operation is outstanding, or a
   *     completion has no matching invocation
   */
  public static History of(List<Event> events) {
    return of(events, false);
  }

  static History of(List<Event> events, boolean truncatedTail) {
    Map<Long, Event> outstanding = new HashMap<>();
    Map<Long, Integer> outstandingIndex = new HashMap<>();
    List<Operation> operations = new ArrayList<>();
    for (int line = 0; line < events.size(); line++) {
      Event event = events.get(line);
      if (event.type() == EventType.INVOKE) {
        Event previous = outstanding.putIfAbsent(event.process(), event);
        if (previous != null) {
          throw new HistoryFormatException(line + 1, "process " + event.process() + " invoked "
              + event.f() + " while its " + previous.f() + " was still outstanding");
        }
        outstandingIndex.put(event.process(), operations.size());
        operations.add(null);
        continue;
      }
      Event invoke = outstanding.remove(event.process());
      if (invoke == null) {
        throw new HistoryFormatException(line + 1, event.type().jsonName() + " of " + event.f()
            + " by process " + event.process() + " has no outstanding invocation");
      }
      if (!invoke.f().equals(event.f())) {
        throw new HistoryFormatException(line + 1, "completion " + event.f() + " of process "
            + event.process() + " does not match its invocation " + invoke.f());
      }
      int index = outstandingIndex.remove(event.process());
      operations.set(index, pair(index, invoke, event));
    }
    for (Map.Entry<Long, Integer> open : outstandingIndex.entrySet()) {
      int index = open.getValue();
      operations.set(index, pair(index, outstanding.get(open.getKey()), null));
    }
    return new History(List.copyOf(events), List.copyOf(operations), truncatedTail);
  }

  private static Operation pair(int index, Event invoke, Event completion) {
    if (completion == null) {
      return new Operation(index, invoke.process(), invoke.f(), invoke.key(), invoke.value(),
          NullNode.getInstance(), EventType.INFO,
          invoke.time(), Long.MAX_VALUE, "never completed", null);
    }
    String key = invoke.key() != null ? invoke.key() : completion.key();
    return new Operation(index, invoke.process(), invoke.f(), key, invoke.value(),
        completion.value(), completion.type(), invoke.time(), completion.time(),
        completion.error(), completion.revision());
  }

  /** Every event, in file order. */
  public List<Event> events() {
    return events;
  }

  /** Every operation, in invocation order. */
  public List<Operation> operations() {
    return operations;
  }

  /** The operations named by any of {@code fs}, in invocation order. */
  public List<Operation> operations(Collection<String> fs) {
    return operations.stream().filter(op -> fs.contains(op.f())).toList();
  }

  /** The operations named {@code f}, in invocation order. */
  public List<Operation> operations(String f) {
    return operations(Set.of(f));
  }

  /**
   * The operations named by any of {@code fs}, grouped by key in key order, each group in
   * invocation order.
   *
   * @throws IllegalArgumentException if one of them has no key
   */
  public SortedMap<String, List<Operation>> byKey(Collection<String> fs) {
    SortedMap<String, List<Operation>> byKey = new TreeMap<>();
    for (Operation op : operations(fs)) {
      if (op.key() == null) {
        throw new IllegalArgumentException(op.f() + " by p" + op.process() + " has no key");
      }
      byKey.computeIfAbsent(op.key(), k -> new ArrayList<>()).add(op);
    }
    return byKey;
  }

  /** The operation names present. */
  public Set<String> fs() {
    Set<String> fs = new LinkedHashSet<>();
    for (Event event : events) {
      fs.add(event.f());
    }
    return fs;
  }

  /** The time of the first event, the origin of relative times in reports; 0 if empty. */
  public long origin() {
    return events.stream().mapToLong(Event::time).min().orElse(0);
  }

  /** The time of the last event; 0 if empty. */
  public long end() {
    return events.stream().mapToLong(Event::time).max().orElse(0);
  }

  /** True if the file's last line was cut short (a crash while writing) and was skipped. */
  public boolean truncatedTail() {
    return truncatedTail;
  }
}
