package io.coord.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.check.CheckResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/** Runs chaos runs for the integration tests: output under target/chaos-it/NAME. */
final class ChaosRuns {
  /** The server jar the reactor built before this module's integration tests. */
  static final Path SERVER_JAR = Path.of("..", "coord-server", "target", "coord-server.jar");

  private ChaosRuns() {
  }

  /** Runs {@code options} into a fresh directory named {@code name}; progress goes to stderr. */
  static RunResult run(String name, ChaosOptions options) throws IOException {
    assertThat(SERVER_JAR).as("the server jar (built by the reactor before this module)")
        .isRegularFile();
    Path dir = Path.of("target", "chaos-it", name);
    deleteRecursively(dir);
    RunResult result = ChaosRun.run(options.withServerJar(SERVER_JAR)
        .withOut(dir), System.err);
    System.err.println("chaos " + name + ": " + result.summary());
    return result;
  }

  static ChaosOptions options(int seconds, List<String> faults, List<String> workloads,
      long seed) {
    return ChaosOptions.of(Duration.ofSeconds(seconds), 3, faults, workloads,
        Path.of("target", "chaos-it", "unused")).withSeed(seed);
  }

  /** The report, for assertion messages. */
  static String report(RunResult result) {
    try {
      return Files.readString(result.dir().resolve("report.txt"));
    } catch (IOException e) {
      return "(no report: " + e.getMessage() + ")";
    }
  }

  /** One line per checker, for assertion messages. */
  static String verdicts(RunResult result) {
    return result.results().stream().map(r -> r.verdict() + " " + r.checker() + ": "
        + r.summary()).collect(Collectors.joining("\n"));
  }

  static CheckResult checker(RunResult result, String name) {
    return result.result(name).orElseThrow(() -> new AssertionError("checker " + name
        + " did not run:\n" + verdicts(result)));
  }

  /** An empty directory {@code target/chaos-it/<name>} for one test's run. */
  static Path freshDir(String name) throws IOException {
    Path dir = Path.of("target", "chaos-it", name);
    deleteRecursively(dir);
    return Files.createDirectories(dir);
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}
