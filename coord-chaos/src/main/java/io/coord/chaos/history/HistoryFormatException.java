package io.coord.chaos.history;

/** A history or faults file that does not follow the format; names the line at fault. */
public final class HistoryFormatException extends RuntimeException {
  private final int line;

  public HistoryFormatException(int line, String message) {
    super("line " + line + ": " + message);
    this.line = line;
  }

  /** The 1-based line number of the offending line. */
  public int line() {
    return line;
  }
}
