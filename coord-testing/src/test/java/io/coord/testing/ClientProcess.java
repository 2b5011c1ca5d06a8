package io.coord.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A client program ({@code main} of a class on this JVM's class path) in a JVM of its own, so a
 * test can freeze (SIGSTOP) or kill it like a real application process. Its standard output is
 * read line by line; its standard error goes to a log file. Killed by pid on {@link #close()}.
 */
final class ClientProcess implements AutoCloseable {
  private final Process process;
  private final Path log;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final Writer stdin;

  private ClientProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    this.stdin = new java.io.OutputStreamWriter(process.getOutputStream(),
        StandardCharsets.UTF_8);
    Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(
          process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          lines.add(line);
        }
      } catch (IOException ended) {
        // The process is gone.
      }
    }, "client-process-" + process.pid());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts {@code main} of {@code mainClass} with {@code args}, logging stderr under {@code dir}. */
  static ClientProcess start(Path dir, Class<?> mainClass, String... args) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        mainClass.getName()));
    command.addAll(List.of(args));
    try {
      Files.createDirectories(dir);
      Path log = Files.createTempFile(dir, mainClass.getSimpleName(), ".log");
      Process process = new ProcessBuilder(command).redirectError(log.toFile()).start();
      return new ClientProcess(process, log);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + mainClass.getName(), e);
    }
  }

  long pid() {
    return process.pid();
  }

  /** The next line of output that starts with {@code prefix} (earlier lines are skipped). */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      String line = lines.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (line == null) {
        throw new AssertionError("no line starting with '" + prefix + "' within " + timeout
            + " from " + describe());
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Writes one line to the process's standard input. */
  void send(String line) throws IOException {
    stdin.write(line + "\n");
    stdin.flush();
  }

  /** Sends {@code signal} (STOP, CONT, KILL, TERM) to the process. */
  void signal(String signal) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
        .redirectErrorStream(true).start();
    if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
      throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
    }
  }

  boolean waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  int exitValue() {
    return process.exitValue();
  }

  private String describe() {
    try {
      List<String> tail = Files.readAllLines(log);
      return "pid " + process.pid() + (process.isAlive() ? "" : " (exited "
          + process.exitValue() + ")") + "; stderr tail:\n" + String.join("\n",
          tail.subList(Math.max(0, tail.size() - 20), tail.size()));
    } catch (IOException e) {
      return "pid " + process.pid();
    }
  }

  /** Kills the process (SIGKILL also ends a stopped one) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }
}
