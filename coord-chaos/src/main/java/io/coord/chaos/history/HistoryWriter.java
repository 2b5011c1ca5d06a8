package io.coord.chaos.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * Appends events to a {@code history.jsonl} file. Thread-safe: the convenience methods read the
 * clock and write under one lock, so lines appear in time order. Every line is flushed when
 * written; a crash leaves a readable prefix.
 */
public final class HistoryWriter implements Closeable {
  private final JsonLines out;
  private final LongSupplier clock;

  private HistoryWriter(JsonLines out, LongSupplier clock) {
    this.out = out;
    this.clock = clock;
  }

  /** Appends to {@code file}, stamping events with {@link System#nanoTime()}. */
  public static HistoryWriter open(Path file) throws IOException {
    return open(file, System::nanoTime);
  }

  /** Appends to {@code file}, stamping events with {@code clock} (nanoseconds). */
  public static HistoryWriter open(Path file, LongSupplier clock) throws IOException {
    return new HistoryWriter(JsonLines.append(file), clock);
  }

  /** Writes an event as given, time included. */
  public synchronized void write(Event event) {
    out.write(toJson(event));
  }

  /** Records an event stamped with the current time and returns it. */
  public synchronized Event record(long process, EventType type, String f, String key,
      Object value, String error, Long revision) {
    Event event = new Event(process, type, f, key, Json.of(value), clock.getAsLong(), error,
        revision);
    out.write(toJson(event));
    return event;
  }

  /** Records an invocation now. */
  public Event invoke(long process, String f, String key, Object value) {
    return record(process, EventType.INVOKE, f, key, value, null, null);
  }

  /** Records a successful completion now. */
  public Event ok(long process, String f, String key, Object value) {
    return record(process, EventType.OK, f, key, value, null, null);
  }

  /** Records a successful completion that reported a store revision now. */
  public Event ok(long process, String f, String key, Object value, long revision) {
    return record(process, EventType.OK, f, key, value, null, revision);
  }

  /** Records now that the operation definitely did not take effect. */
  public Event fail(long process, String f, String key, Object value, String error) {
    return record(process, EventType.FAIL, f, key, value, error, null);
  }

  /** Records now that the outcome is unknown. */
  public Event info(long process, String f, String key, Object value, String error) {
    return record(process, EventType.INFO, f, key, value, error, null);
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }

  static ObjectNode toJson(Event event) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("process", event.process());
    line.put("type", event.type().jsonName());
    line.put("f", event.f());
    if (event.key() != null) {
      line.put("key", event.key());
    }
    line.set("value", event.value());
    line.put("time", event.time());
    if (event.error() != null) {
      line.put("error", event.error());
    }
    if (event.revision() != null) {
      line.put("revision", event.revision());
    }
    return line;
  }
}
