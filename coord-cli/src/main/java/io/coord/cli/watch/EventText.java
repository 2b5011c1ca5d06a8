package io.coord.cli.watch;

import com.google.protobuf.ByteString;
import io.coord.client.kv.KeyValue;
import io.coord.client.watch.WatchEvent;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** How {@code coord kv watch} prints an event and hands it to an {@code --exec} command. */
final class EventText {
  private EventText() {}

  /**
   * One line: {@code PUT <rev> <key>=<value>} or {@code DELETE <rev> <key>}, with
   * {@code  prev=<value>} when asked for and the key existed. Control characters are escaped, so
   * an event is always one line.
   */
  static String simple(WatchEvent event, boolean withPrev) {
    StringBuilder line = new StringBuilder();
    line.append(event.type()).append(' ').append(event.revision()).append(' ')
        .append(escape(event.kv().key()));
    if (event.type() == WatchEvent.Type.PUT) {
      line.append('=').append(escape(event.kv().value()));
    }
    if (withPrev && event.prevKv() != null) {
      line.append(" prev=").append(escape(event.prevKv().value()));
    }
    return line.toString();
  }

  /** One JSON object on one line. */
  static String json(WatchEvent event, boolean withPrev, boolean base64) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("type", event.type().name());
    fields.put("key", bytes(event.kv().key(), base64));
    boolean put = event.type() == WatchEvent.Type.PUT;
    fields.put("value", put ? bytes(event.kv().value(), base64) : null);
    fields.put("mod_revision", event.revision());
    if (put) {
      fields.put("create_revision", event.kv().createRevision());
      fields.put("version", event.kv().version());
    }
    if (withPrev) {
      KeyValue prev = event.prevKv();
      fields.put("prev_value", prev == null ? null : bytes(prev.value(), base64));
      fields.put("prev_mod_revision", prev == null ? null : prev.modRevision());
    }
    StringBuilder out = new StringBuilder("{");
    for (Map.Entry<String, Object> field : fields.entrySet()) {
      if (out.length() > 1) {
        out.append(',');
      }
      quote(field.getKey(), out);
      out.append(':');
      Object value = field.getValue();
      if (value == null) {
        out.append("null");
      } else if (value instanceof String text) {
        quote(text, out);
      } else {
        out.append(value);
      }
    }
    return out.append('}').toString();
  }

  /** The environment of an {@code --exec} command for this event. */
  static Map<String, String> environment(WatchEvent event, boolean withPrev) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("COORD_WATCH_EVENT_TYPE", event.type().name());
    env.put("COORD_WATCH_KEY", event.kv().keyString());
    env.put("COORD_WATCH_VALUE", event.type() == WatchEvent.Type.PUT
        ? event.kv().valueString() : "");
    env.put("COORD_WATCH_REVISION", Long.toString(event.revision()));
    if (withPrev && event.prevKv() != null) {
      env.put("COORD_WATCH_PREV_VALUE", event.prevKv().valueString());
    }
    return env;
  }

  private static String bytes(ByteString bytes, boolean base64) {
    return base64 ? Base64.getEncoder().encodeToString(bytes.toByteArray())
        : bytes.toStringUtf8();
  }

  static String escape(ByteString bytes) {
    String text = bytes.toStringUtf8();
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\\' -> out.append("\\\\");
        default -> {
          if (c < 0x20 || c == 0x7F) {
            out.append(String.format("\\x%02x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }

  private static void quote(String text, StringBuilder out) {
    io.coord.cli.Json.string(text, out);
  }
}
