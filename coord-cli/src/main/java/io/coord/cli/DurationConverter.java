package io.coord.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations written like Go's: {@code 500ms}, {@code 5s}, {@code 1m30s}, {@code 1h}. */
final class DurationConverter implements ITypeConverter<Duration> {
  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  @Override
  public Duration convert(String text) {
    Matcher part = PART.matcher(text.trim());
    Duration total = Duration.ZERO;
    int end = 0;
    while (part.lookingAt()) {
      long amount = Long.parseLong(part.group(1));
      total = total.plus(switch (part.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      });
      end = part.end();
      part.region(end, text.trim().length());
    }
    if (end == 0 || end != text.trim().length() || total.isZero()) {
      throw new TypeConversionException("'" + text
          + "' is not a positive duration (examples: 500ms, 5s, 1m30s)");
    }
    return total;
  }

  /** Writes {@code duration} the way this converter reads it, e.g. {@code 10s}. */
  static String format(Duration duration) {
    long ms = duration.toMillis();
    return ms % 1000 != 0 ? ms + "ms" : ms / 1000 + "s";
  }
}
