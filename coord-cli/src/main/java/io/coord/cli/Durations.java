package io.coord.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations such as 500ms, 10s, 5m, 1h; a bare number means seconds. */
public final class Durations implements ITypeConverter<Duration> {
  private static final Pattern FORM = Pattern.compile("(\\d+)(ms|s|m|h)?");

  @Override
  public Duration convert(String text) {
    Matcher m = FORM.matcher(text.trim());
    if (!m.matches()) {
      throw new TypeConversionException("'" + text + "' is not a duration such as 10, 10s, "
          + "500ms, 5m or 1h (a bare number means seconds)");
    }
    long amount = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    return switch (unit) {
      case "ms" -> Duration.ofMillis(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofSeconds(amount);
    };
  }

  /** A duration as people write it: 6s, 1m30s, 250ms. */
  public static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms % 1000 != 0 && ms < 60_000) {
      return String.format("%.1fs", ms / 1000.0);
    }
    long seconds = ms / 1000;
    if (seconds < 60) {
      return seconds + "s";
    }
    return seconds / 60 + "m" + (seconds % 60 == 0 ? "" : seconds % 60 + "s");
  }
}
