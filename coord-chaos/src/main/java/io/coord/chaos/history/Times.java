package io.coord.chaos.history;

import java.util.Locale;

/** Formats history times (nanoseconds) for humans. */
public final class Times {
  private Times() {
  }

  /** {@code time} relative to {@code origin}, e.g. {@code +1.250s}; {@code +inf} for never. */
  public static String relative(long time, long origin) {
    if (time == Long.MAX_VALUE) {
      return "+inf";
    }
    return String.format(Locale.ROOT, "%+.3fs", (time - origin) / 1e9);
  }

  /** A duration in nanoseconds, e.g. {@code 250.0ms} or {@code 1.250s}. */
  public static String duration(long nanos) {
    if (nanos == Long.MAX_VALUE) {
      return "inf";
    }
    if (Math.abs(nanos) < 1_000_000_000L) {
      return String.format(Locale.ROOT, "%.1fms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.3fs", nanos / 1e9);
  }
}
