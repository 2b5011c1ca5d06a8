package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coord.cli.Cli.Run;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Parses the CLI's JSON output with a real JSON parser. */
final class JsonDoc {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private JsonDoc() {}

  /** The one JSON document a successful run printed on one line. */
  static JsonNode parse(Run run) {
    assertThat(run.exitCode()).as(run.toString()).isZero();
    assertThat(run.lines()).as("one line of JSON").hasSize(1);
    try {
      return MAPPER.readTree(run.out());
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + run.out(), e);
    }
  }

  /** One line of JSON, whatever the exit code (for commands whose exit code is a finding). */
  static JsonNode readLine(String line) {
    try {
      return MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      throw new AssertionError("not JSON: " + line, e);
    }
  }

  /** The mod revision of the first key a {@code kv get -o json} returned. */
  static long modRevision(Run get) {
    return parse(get).get("kvs").get(0).get("mod_revision").asLong();
  }

  /** The field names of an object, in order. */
  static List<String> fields(JsonNode node) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      names.add(it.next());
    }
    return names;
  }
}
