package io.coord.server.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Value parsers for configuration keys; each throws IllegalArgumentException with the reason. */
final class Parsers {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(|B|KiB|MiB|GiB)");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  private Parsers() {}

  static Function<String, String> text() {
    return s -> s;
  }

  static Function<String, String> memberName() {
    return s -> {
      if (!NAME.matcher(s).matches()) {
        throw new IllegalArgumentException(
            "expected a name of letters, digits, '.', '_' or '-' (at most 63), e.g. n1");
      }
      return s;
    };
  }

  static Function<String, Long> longInRange(long min, long max) {
    return s -> {
      long value;
      try {
        value = Long.parseLong(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a whole number");
      }
      if (value < min || value > max) {
        throw new IllegalArgumentException("expected a number from " + min + " to " + max);
      }
      return value;
    };
  }

  static Function<String, Duration> duration(Duration min, Duration max) {
    return s -> {
      Matcher m = DURATION.matcher(s);
      if (!m.matches()) {
        throw new IllegalArgumentException("expected a duration such as 500ms, 2s, 5m or 1h");
      }
      long amount = Long.parseLong(m.group(1));
      Duration value = switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        default -> Duration.ofHours(amount);
      };
      if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException("expected a duration from " + format(min) + " to "
            + format(max));
      }
      return value;
    };
  }

  static Function<String, Long> size(long min, long max) {
    return s -> {
      Matcher m = SIZE.matcher(s);
      if (!m.matches()) {
        throw new IllegalArgumentException("expected a size such as 4096, 64KiB or 1MiB");
      }
      long value = Long.parseLong(m.group(1)) * switch (m.group(2)) {
        case "KiB" -> 1024L;
        case "MiB" -> 1024L * 1024;
        case "GiB" -> 1024L * 1024 * 1024;
        default -> 1L;
      };
      if (value < min || value > max) {
        throw new IllegalArgumentException("expected a size from " + min + " to " + max
            + " bytes");
      }
      return value;
    };
  }

  static Function<String, HostPort> hostPort() {
    return HostPort::parse;
  }

  /** An optional host:port; empty text means absent. */
  static Function<String, HostPort> optionalHostPort() {
    return s -> s.isEmpty() ? null : HostPort.parse(s);
  }

  static Function<String, List<PeerSpec>> peers() {
    return s -> {
      if (s.isEmpty()) {
        return List.of();
      }
      List<PeerSpec> peers = new ArrayList<>();
      Set<String> names = new HashSet<>();
      for (String item : s.split(",")) {
        String entry = item.trim();
        int eq = entry.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("'" + entry + "' is not name=host:port");
        }
        String name = memberName().apply(entry.substring(0, eq));
        if (!names.add(name)) {
          throw new IllegalArgumentException("member " + name + " is listed twice");
        }
        peers.add(new PeerSpec(name, HostPort.parse(entry.substring(eq + 1))));
      }
      return List.copyOf(peers);
    };
  }

  static <E extends Enum<E>> Function<String, E> oneOf(Class<E> type) {
    return s -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equalsIgnoreCase(s)) {
          return constant;
        }
      }
      List<String> allowed = new ArrayList<>();
      for (E constant : type.getEnumConstants()) {
        allowed.add(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new IllegalArgumentException("expected one of " + allowed);
    };
  }

  static String format(Duration duration) {
    long ms = duration.toMillis();
    if (ms % 3_600_000 == 0 && ms > 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0 && ms > 0) {
      return ms / 60_000 + "m";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return ms + "ms";
  }
}
