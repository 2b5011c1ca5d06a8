package io.coord.chaos.history;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines files: one object per line. Writing appends and flushes every line, so a process
 * that dies leaves a readable prefix; reading skips a cut-short last line.
 */
final class JsonLines implements Closeable {
  private final BufferedWriter out;

  private JsonLines(BufferedWriter out) {
    this.out = out;
  }

  /** Opens {@code file} for appending, creating it (and its directory) if needed. */
  static JsonLines append(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    return new JsonLines(Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE));
  }

  /** Writes one line and flushes it to the operating system. Callers serialize calls. */
  void write(ObjectNode line) {
    try {
      out.write(Json.mapper().writeValueAsString(line));
      out.write('\n');
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  /** The parsed lines of a file and whether a cut-short last line was skipped. */
  record Contents(List<ObjectNode> lines, boolean truncatedTail) {
  }

  /**
   * Reads every line as a JSON object. Blank lines are skipped. A last line that does not parse
   * and does not end with a newline is taken for a write cut short by a crash and skipped; any
   * other malformed line is an error.
   */
  static Contents read(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String[] raw = text.split("\n", -1);
    List<ObjectNode> lines = new ArrayList<>();
    boolean truncated = false;
    for (int i = 0; i < raw.length; i++) {
      String line = raw[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      boolean last = i == raw.length - 1;
      JsonNode node;
      try {
        node = Json.mapper().readTree(line);
      } catch (JsonProcessingException e) {
        if (last) {
          truncated = true;
          break;
        }
        throw new HistoryFormatException(i + 1, "not JSON: " + e.getOriginalMessage());
      }
      if (!(node instanceof ObjectNode object)) {
        throw new HistoryFormatException(i + 1, "not a JSON object");
      }
      lines.add(object);
    }
    return new Contents(lines, truncated);
  }
}
