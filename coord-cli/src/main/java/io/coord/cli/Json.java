package io.coord.cli;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON object under construction, written compactly on one line. Values are strings, numbers,
 * booleans, {@code null}, other {@code Json} objects and lists of these. Field order is
 * insertion order, so the output is stable.
 */
public final class Json {
  private final Map<String, Object> fields = new LinkedHashMap<>();

  public static Json object() {
    return new Json();
  }

  /** Sets {@code name}; returns this object. */
  public Json put(String name, Object value) {
    fields.put(name, value);
    return this;
  }

  /** Sets {@code name} to a list of the mapped {@code items}. */
  public <T> Json putList(String name, Collection<T> items,
      java.util.function.Function<T, Object> mapper) {
    List<Object> values = new ArrayList<>(items.size());
    items.forEach(item -> values.add(mapper.apply(item)));
    return put(name, values);
  }

  @Override
  public String toString() {
    StringBuilder out = new StringBuilder();
    write(this, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Json json) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, Object> field : json.fields.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        string(field.getKey(), out);
        out.append(':');
        write(field.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      boolean first = true;
      for (Object item : list) {
        if (!first) {
          out.append(',');
        }
        first = false;
        write(item, out);
      }
      out.append(']');
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else {
      string(value.toString(), out);
    }
  }

  /** Appends {@code text} as a JSON string literal (quoted and escaped). */
  public static void string(String text, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
