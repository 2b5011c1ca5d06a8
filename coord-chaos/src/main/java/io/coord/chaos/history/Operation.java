package io.coord.chaos.history;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An invocation paired with its completion. An invocation that never completed is an
 * {@link EventType#INFO} operation with {@link #completeTime()} {@link Long#MAX_VALUE}.
 *
 * @param index position of the invocation among all invocations of the history (0-based)
 * @param process the process that performed it
 * @param f the operation's name
 * @param key the key it addressed, or null
 * @param input the invocation's value
 * @param output the completion's value (JSON null when there was no completion)
 * @param type {@link EventType#OK}, {@link EventType#FAIL} or {@link EventType#INFO}
 * @param invokeTime when it was invoked
 * @param completeTime when the completion was recorded, {@link Long#MAX_VALUE} if never
 * @param error the completion's error, or null
 * @param revision the revision the completion reported, or null
 */
public record Operation(int index, long process, String f, String key, JsonNode input,
    JsonNode output, EventType type, long invokeTime, long completeTime, String error,
    Long revision) {

  /** Latest time at which the operation may have taken effect: infinite unless it is ok or fail. */
  public long returnTime() {
    return type == EventType.INFO ? Long.MAX_VALUE : completeTime;
  }

  public boolean isOk() {
    return type == EventType.OK;
  }

  public boolean isFail() {
    return type == EventType.FAIL;
  }

  public boolean isInfo() {
    return type == EventType.INFO;
  }

  /** True if this operation completed before {@code other} was invoked (real-time order). */
  public boolean precedes(Operation other) {
    return returnTime() < other.invokeTime();
  }

  /** A one-line description with times relative to {@code origin}, for reports. */
  public String describe(long origin) {
    StringBuilder out = new StringBuilder();
    out.append('p').append(process).append(' ').append(f);
    if (key != null) {
      out.append(' ').append(key);
    }
    if (!input.isNull()) {
      out.append(' ').append(input);
    }
    out.append(" -> ").append(type.jsonName());
    if (!output.isNull() && !output.equals(input)) {
      out.append(' ').append(output);
    }
    if (error != null) {
      out.append(" (").append(error).append(')');
    }
    out.append(" [").append(Times.relative(invokeTime, origin)).append(", ");
    out.append(completeTime == Long.MAX_VALUE ? "never completed"
        : Times.relative(completeTime, origin));
    return out.append(']').toString();
  }
}
