package io.coord.chaos.check;

import io.coord.chaos.history.Event;
import io.coord.chaos.history.EventType;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Hand-made histories for tests, times in milliseconds. {@link #op} adds an invocation and its
 * completion at once; operations of one process must be added in their order.
 */
final class HistoryBuilder {
  static final long MS = 1_000_000L;

  private final List<Event> events = new ArrayList<>();

  /** A whole operation: invoked at {@code from}, completed with {@code type} at {@code to}. */
  HistoryBuilder op(long process, String f, String key, Object input, EventType type,
      Object output, long from, long to) {
    return op(process, f, key, input, type, output, from, to, null, null);
  }

  HistoryBuilder op(long process, String f, String key, Object input, EventType type,
      Object output, long from, long to, String error, Long revision) {
    events.add(Event.of(process, EventType.INVOKE, f, key, Json.of(input), from * MS));
    events.add(new Event(process, type, f, key, Json.of(output), to * MS, error, revision));
    return this;
  }

  HistoryBuilder ok(long process, String f, String key, Object input, Object output, long from,
      long to) {
    return op(process, f, key, input, EventType.OK, output, from, to);
  }

  /** A write acknowledged. */
  HistoryBuilder write(long process, String key, Object value, long from, long to) {
    return ok(process, "write", key, value, value, from, to);
  }

  /** A read that returned {@code value}. */
  HistoryBuilder read(long process, String key, Object value, long from, long to) {
    return ok(process, "read", key, null, value, from, to);
  }

  /** An invocation that never completes. */
  HistoryBuilder invoke(long process, String f, String key, Object input, long at) {
    events.add(Event.of(process, EventType.INVOKE, f, key, Json.of(input), at * MS));
    return this;
  }

  /** A raw event. */
  HistoryBuilder event(Event event) {
    events.add(event);
    return this;
  }

  History build() {
    return History.of(events);
  }
}
