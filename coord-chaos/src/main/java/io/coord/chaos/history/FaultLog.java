package io.coord.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The faults of a run ({@code faults.jsonl}), as events and as start-to-heal intervals. */
public final class FaultLog {
  private static final FaultLog EMPTY = new FaultLog(List.of());

  private final List<FaultEvent> events;

  private FaultLog(List<FaultEvent> events) {
    this.events = events;
  }

  /** A log of the given events. */
  public static FaultLog of(List<FaultEvent> events) {
    List<FaultEvent> sorted = new ArrayList<>(events);
    sorted.sort(Comparator.comparingLong(FaultEvent::time));
    return new FaultLog(List.copyOf(sorted));
  }

  /** No faults. */
  public static FaultLog empty() {
    return EMPTY;
  }

  /** Reads {@code file}; an absent file is an empty log. */
  public static FaultLog read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return EMPTY;
    }
    JsonLines.Contents contents = JsonLines.read(file);
    List<FaultEvent> events = new ArrayList<>();
    for (int i = 0; i < contents.lines().size(); i++) {
      events.add(parse(i + 1, contents.lines().get(i)));
    }
    return of(events);
  }

  private static FaultEvent parse(int line, ObjectNode json) {
    try {
      JsonNode leader = json.get("leader");
      return new FaultEvent(HistoryReader.requiredLong(json, "time"),
          HistoryReader.requiredText(json, "fault"), HistoryReader.requiredText(json, "target"),
          FaultEvent.Phase.fromJson(HistoryReader.requiredText(json, "phase")),
          leader != null && leader.asBoolean());
    } catch (IllegalArgumentException e) {
      throw new HistoryFormatException(line, e.getMessage());
    }
  }

  /** Every event, in time order. */
  public List<FaultEvent> events() {
    return events;
  }

  /**
   * Each start paired with the next heal of the same fault and target; a start never healed
   * lasts forever. A heal without a start is ignored. A fault is a leader loss if its start or
   * its heal says so.
   */
  public List<FaultInterval> intervals() {
    Map<String, FaultEvent> open = new HashMap<>();
    List<FaultInterval> intervals = new ArrayList<>();
    for (FaultEvent event : events) {
      String id = event.fault() + "\u0000" + event.target();
      if (event.phase() == FaultEvent.Phase.START) {
        FaultEvent previous = open.put(id, event);
        if (previous != null) {
          intervals.add(interval(previous, event.time(), previous.leader()));
        }
      } else {
        FaultEvent start = open.remove(id);
        if (start != null) {
          intervals.add(interval(start, event.time(), start.leader() || event.leader()));
        }
      }
    }
    open.values().forEach(start -> intervals.add(interval(start, Long.MAX_VALUE, start.leader())));
    intervals.sort(Comparator.comparingLong(FaultInterval::start));
    return intervals;
  }

  private static FaultInterval interval(FaultEvent start, long heal, boolean leader) {
    return new FaultInterval(start.fault(), start.target(), start.time(), heal, leader);
  }

  /** The intervals of leader-loss faults. */
  public List<FaultInterval> leaderLosses() {
    return intervals().stream().filter(FaultInterval::leader).toList();
  }
}
