package io.coord.chaos.run;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Progress lines on standard error, each stamped with the time since the run began, e.g.
 * {@code chaos [+12.3s] kill n2 (the leader)}. Thread-safe.
 */
public final class Progress {
  private final PrintStream out;
  private final long origin;

  public Progress(PrintStream out, long originNanos) {
    this.out = out;
    this.origin = originNanos;
  }

  /** Prints one line. */
  public void say(String format, Object... args) {
    String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
    double seconds = (System.nanoTime() - origin) / 1e9;
    synchronized (out) {
      out.printf(Locale.ROOT, "chaos [+%.1fs] %s%n", seconds, text);
      out.flush();
    }
  }
}
