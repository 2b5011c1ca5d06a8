package io.coord.server.config;

/** A configuration file or value is invalid; the message names the key and the fix. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
