package io.coord.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

/** The one JSON mapper of the module and conversions between Java values and JSON trees. */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {
  }

  static ObjectMapper mapper() {
    return MAPPER;
  }

  /** A JSON tree of a Java value (numbers, strings, lists, maps, null, or a tree already). */
  public static JsonNode of(Object value) {
    if (value == null) {
      return NullNode.getInstance();
    }
    if (value instanceof JsonNode node) {
      return node;
    }
    return MAPPER.valueToTree(value);
  }

  /**
   * A canonical text of a value, equal for equal JSON values whatever Java type built them
   * (an int 1 and a long 1 both give {@code 1}).
   */
  public static String canonical(JsonNode value) {
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    return value.toString();
  }
}
