package io.coord.chaos.history;

import java.util.Locale;

/** The {@code type} of a history line: an invocation or one of the three completions. */
public enum EventType {
  /** The client is about to send the operation. */
  INVOKE,
  /** The operation took effect and this is its result. */
  OK,
  /** The operation definitely did not take effect. */
  FAIL,
  /** The outcome is unknown (timeout, lost connection): it may or may not have taken effect. */
  INFO;

  /** The name used in the file: {@code invoke}, {@code ok}, {@code fail}, {@code info}. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a file name of a type; throws {@link IllegalArgumentException} for anything else. */
  public static EventType fromJson(String name) {
    for (EventType type : values()) {
      if (type.jsonName().equals(name)) {
        return type;
      }
    }
    throw new IllegalArgumentException("unknown type \"" + name + "\" (expected invoke, ok, fail"
        + " or info)");
  }

  /** True for the three completion types. */
  public boolean isCompletion() {
    return this != INVOKE;
  }
}
