package io.coord.server.config;

import java.util.function.Function;

/**
 * One configuration key: its name, default, one-line description and parser.
 *
 * @param <T> the parsed type
 */
public final class ConfigKey<T> {
  private final String name;
  private final String defaultText;
  private final String description;
  private final Function<String, T> parser;

  ConfigKey(String name, String defaultText, String description, Function<String, T> parser) {
    this.name = name;
    this.defaultText = defaultText;
    this.description = description;
    this.parser = parser;
  }

  public String name() {
    return name;
  }

  /** The default as written in a file; empty when the key is required or derived. */
  public String defaultText() {
    return defaultText;
  }

  public String description() {
    return description;
  }

  /**
   * Parses {@code text}.
   *
   * @throws ConfigException naming this key, the value and what was expected
   */
  public T parse(String text) {
    try {
      return parser.apply(text.trim());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(name + ": invalid value '" + text + "': " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return name;
  }
}
