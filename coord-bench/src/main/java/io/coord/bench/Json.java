package io.coord.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** JSON form of result rows: one object per line while running, a list in results.json. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private Json() {}

  /** One row as a single line. */
  public static String line(ResultRow row) {
    try {
      return MAPPER.writeValueAsString(row);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a row as JSON", e);
    }
  }

  /** Parses one line written by {@link #line}. */
  public static ResultRow parse(String line) {
    try {
      return MAPPER.readValue(line, ResultRow.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not a result row: " + line, e);
    }
  }

  /** Reads rows from a file of JSON lines or a JSON list. */
  public static List<ResultRow> read(Path file) {
    try {
      String text = Files.readString(file).trim();
      if (text.startsWith("[")) {
        return List.of(MAPPER.readValue(text, ResultRow[].class));
      }
      List<ResultRow> rows = new ArrayList<>();
      for (String line : text.split("\n")) {
        if (!line.isBlank()) {
          rows.add(parse(line));
        }
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Writes rows as a pretty-printed JSON list. */
  public static void writeList(Path file, List<ResultRow> rows) {
    try {
      MAPPER.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), rows);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
