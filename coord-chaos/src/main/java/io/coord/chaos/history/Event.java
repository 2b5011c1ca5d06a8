package io.coord.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;

/**
 * One line of {@code history.jsonl}: an invocation or a completion of an operation by a process.
 *
 * @param process the logical client that performed the operation; it has at most one operation
 *     outstanding
 * @param type invocation or completion kind
 * @param f the operation's name, such as {@code read} or {@code cas} (see {@link F})
 * @param key the object the operation addressed, or null for operations on no single key
 * @param value the operation's argument (invocation) or result (completion); never Java null,
 *     {@link NullNode} stands for JSON null and for an absent field
 * @param time monotonic nanoseconds, on the same clock for every line of a run
 * @param error why a completion failed or is unknown, or null
 * @param revision the store revision a completion reported, or null if it reported none
 */
public record Event(long process, EventType type, String f, String key, JsonNode value, long time,
    String error, Long revision) {

  public Event {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(f, "f");
    value = value == null || value.isMissingNode() ? NullNode.getInstance() : value;
  }

  /** An event without error or revision. */
  public static Event of(long process, EventType type, String f, String key, JsonNode value,
      long time) {
    return new Event(process, type, f, key, value, time, null, null);
  }
}
