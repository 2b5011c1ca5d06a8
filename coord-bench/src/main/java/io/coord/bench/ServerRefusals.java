package io.coord.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Calls the Coord members answered with a status other than OK, read from each member's
 * {@code grpc_server_handled_total} metric. A client that retries hides such answers from the
 * point's error count; this is where they show (a leader refusing a third of the keep-alives
 * was found this way). The members are those whose {@code n*.properties} sit in the pid
 * directories ({@code scripts/cluster}'s data directory), reached at their
 * {@code coord.http.listen} address.
 */
final class ServerRefusals {
  private static final Pattern HANDLED = Pattern.compile(
      "^grpc_server_handled_total\\{(.*)} ([0-9.eE+]+)$");
  private static final Pattern CODE = Pattern.compile("grpc_code=\"([A-Z_]+)\"");
  private static final Pattern METHOD = Pattern.compile("grpc_method=\"([A-Za-z]+)\"");

  private final List<Path> dirs;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(1)).build();

  ServerRefusals(List<Path> dirs) {
    this.dirs = List.copyOf(dirs);
  }

  /**
   * Non-OK answers so far, summed over the members, keyed {@code "CODE Method"}; members
   * that cannot be read are skipped.
   */
  Map<String, Long> snapshot() {
    Map<String, Long> counts = new TreeMap<>();
    for (String address : httpAddresses()) {
      try {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create("http://" + address + "/metrics")).timeout(Duration.ofSeconds(2))
            .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          addRefusals(response.body(), counts);
        }
      } catch (IOException e) {
        // A member that is down answers nothing; its refusals are not counted.
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return counts;
  }

  /** What {@code after} counted beyond {@code before}, without the keys that did not grow. */
  static Map<String, Long> since(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new TreeMap<>();
    after.forEach((key, count) -> {
      long grown = count - before.getOrDefault(key, 0L);
      if (grown > 0) {
        delta.put(key, grown);
      }
    });
    return delta;
  }

  /** Adds the non-OK {@code grpc_server_handled_total} series of one metrics page. */
  static void addRefusals(String metrics, Map<String, Long> counts) {
    for (String line : metrics.split("\n")) {
      Matcher handled = HANDLED.matcher(line.trim());
      if (!handled.matches()) {
        continue;
      }
      Matcher code = CODE.matcher(handled.group(1));
      Matcher method = METHOD.matcher(handled.group(1));
      if (!code.find() || code.group(1).equals("OK") || !method.find()) {
        continue;
      }
      long value = (long) Double.parseDouble(handled.group(2));
      counts.merge(code.group(1) + " " + method.group(1), value, Long::sum);
    }
  }

  private List<String> httpAddresses() {
    return dirs.stream().flatMap(ServerRefusals::propertyFiles)
        .map(ServerRefusals::httpAddress).filter(a -> a != null && !a.isBlank()).toList();
  }

  private static Stream<Path> propertyFiles(Path dir) {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().matches("n[0-9]+\\.properties"))
          .sorted().toList().stream();
    } catch (IOException e) {
      return Stream.empty();
    }
  }

  private static String httpAddress(Path file) {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (IOException e) {
      return null;
    }
    return properties.getProperty("coord.http.listen");
  }
}
