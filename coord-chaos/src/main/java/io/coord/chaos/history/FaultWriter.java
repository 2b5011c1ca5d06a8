package io.coord.chaos.history;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/** Appends fault events to a {@code faults.jsonl} file; thread-safe, flushed per line. */
public final class FaultWriter implements Closeable {
  private final JsonLines out;
  private final LongSupplier clock;

  private FaultWriter(JsonLines out, LongSupplier clock) {
    this.out = out;
    this.clock = clock;
  }

  /** Appends to {@code file}, stamping events with {@code clock}, the history's clock. */
  public static FaultWriter open(Path file, LongSupplier clock) throws IOException {
    return new FaultWriter(JsonLines.append(file), clock);
  }

  /** Writes an event as given. */
  public synchronized void write(FaultEvent event) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("time", event.time());
    line.put("fault", event.fault());
    line.put("target", event.target());
    line.put("phase", event.phase().jsonName());
    if (event.leader()) {
      line.put("leader", true);
    }
    out.write(line);
  }

  /** Records now that {@code fault} hit {@code target}. */
  public synchronized FaultEvent start(String fault, String target, boolean leader) {
    FaultEvent event = new FaultEvent(clock.getAsLong(), fault, target, FaultEvent.Phase.START,
        leader);
    write(event);
    return event;
  }

  /** Records now that {@code fault} on {@code target} was undone. */
  public synchronized FaultEvent heal(String fault, String target) {
    FaultEvent event = new FaultEvent(clock.getAsLong(), fault, target, FaultEvent.Phase.HEAL,
        false);
    write(event);
    return event;
  }

  @Override
  public synchronized void close() throws IOException {
    out.close();
  }
}
