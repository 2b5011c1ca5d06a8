package io.coord.cli;

/** A failure the CLI reports as one line on stderr with exit code 1; the message names the fix. */
public final class CliException extends RuntimeException {
  public CliException(String message) {
    super(message);
  }
}
