package io.coord.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.chaos.history.Json;

/**
 * A change of one key at one revision, as a watch delivers it or as the revision history
 * records it.
 *
 * @param type {@code put} or {@code delete}
 * @param key the key
 * @param value canonical JSON text of the value put; null for a delete
 * @param revision the revision that made the change
 */
record KvEvent(String type, String key, String value, long revision) {
  static final String PUT = "put";
  static final String DELETE = "delete";

  /**
   * Parses {@code {"type": "put"|"delete", "key": K, "value": V, "revision": R}}; the revision
   * may come from the enclosing object instead.
   */
  static KvEvent parse(JsonNode json, Long revision) {
    String type = json.path("type").asText();
    if (!type.equals(PUT) && !type.equals(DELETE)) {
      throw new IllegalArgumentException("event type must be put or delete: " + json);
    }
    JsonNode key = json.get("key");
    if (key == null || !key.isTextual()) {
      throw new IllegalArgumentException("event needs a string key: " + json);
    }
    JsonNode eventRevision = json.get("revision");
    if (revision == null) {
      if (eventRevision == null || !eventRevision.isIntegralNumber()) {
        throw new IllegalArgumentException("event needs an integer revision: " + json);
      }
      revision = eventRevision.asLong();
    }
    String value = type.equals(PUT) ? Json.canonical(json.path("value")) : null;
    return new KvEvent(type, key.asText(), value, revision);
  }

  /** True if it changes the same key in the same way (revision aside). */
  boolean sameChange(KvEvent other) {
    return type.equals(other.type) && key.equals(other.key)
        && java.util.Objects.equals(value, other.value);
  }

  @Override
  public String toString() {
    return type + " " + key + (value == null ? "" : "=" + value) + " @" + revision;
  }
}
