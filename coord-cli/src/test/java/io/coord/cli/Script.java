package io.coord.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the repository's scripts as real processes, with a given environment. */
final class Script {
  /** The repository root (set by the failsafe configuration). */
  static final Path ROOT = Path.of(System.getProperty("coord.root", "..")).toAbsolutePath()
      .normalize();

  /** What a script printed and returned. */
  record Result(int exitCode, String out, String err) {
    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private final Map<String, String> env;
  private final Path outputDir;

  Script(Map<String, String> env, Path outputDir) {
    this.env = env;
    this.outputDir = outputDir;
  }

  /** Runs {@code scripts/<name> args...}, waiting at most {@code timeout}. */
  Result run(Duration timeout, String name, String... args) throws IOException,
      InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("scripts").resolve(name).toString());
    command.addAll(List.of(args));
    Path out = Files.createTempFile(outputDir, name, ".out");
    Path err = Files.createTempFile(outputDir, name, ".err");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(outputDir.toFile())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    builder.environment().remove("COORD_ENDPOINTS");
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      throw new AssertionError(String.join(" ", command) + " did not finish within " + timeout
          + "\n--- stdout\n" + Files.readString(out) + "--- stderr\n" + Files.readString(err));
    }
    return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
