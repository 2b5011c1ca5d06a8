package io.coord.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@code history.jsonl} file into a {@link History}. */
public final class HistoryReader {
  private HistoryReader() {
  }

  /**
   * Reads and pairs a history file. Fields other than those of {@link Event} are ignored.
   *
   * @throws HistoryFormatException naming the line of a malformed event or an impossible pairing
   */
  public static History read(Path file) throws IOException {
    JsonLines.Contents contents = JsonLines.read(file);
    List<Event> events = new ArrayList<>(contents.lines().size());
    for (int i = 0; i < contents.lines().size(); i++) {
      events.add(parse(i + 1, contents.lines().get(i)));
    }
    return History.of(events, contents.truncatedTail());
  }

  static Event parse(int line, ObjectNode json) {
    try {
      long process = requiredLong(json, "process");
      EventType type = EventType.fromJson(requiredText(json, "type"));
      String f = requiredText(json, "f");
      long time = requiredLong(json, "time");
      JsonNode key = json.get("key");
      JsonNode error = json.get("error");
      JsonNode revision = json.get("revision");
      return new Event(process, type, f, textOrNull(key), json.get("value"), time,
          textOrNull(error), revision == null || revision.isNull() ? null : revision.asLong());
    } catch (IllegalArgumentException e) {
      throw new HistoryFormatException(line, e.getMessage());
    }
  }

  static long requiredLong(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || !node.canConvertToLong() || !node.isIntegralNumber()) {
      throw new IllegalArgumentException("\"" + field + "\" must be an integer");
    }
    return node.asLong();
  }

  static String requiredText(ObjectNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || !node.isTextual()) {
      throw new IllegalArgumentException("\"" + field + "\" must be a string");
    }
    return node.asText();
  }

  private static String textOrNull(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    return node.isTextual() ? node.asText() : Json.canonical(node);
  }
}
