package io.coord.cli.watch;

import io.coord.client.CoordClient;

/**
 * What {@code coord kv watch} needs from the root command: a connected client and the global
 * output options. The {@code coord} root implements it.
 */
public interface WatchRoot {
  /** A client over the configured endpoints. */
  CoordClient connect();

  /** True for JSON output ({@code -o json}). */
  boolean jsonOutput();

  /** True to print keys and values in JSON as base64. */
  boolean base64();
}
