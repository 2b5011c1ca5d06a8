package io.coord.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A cluster of real member processes ({@code java io.coord.server.Main <config>}), started from
 * this JVM's class path, for tests that must stop a process (SIGSTOP) rather than a member
 * object. Every process is killed, by pid, on {@link #close()}.
 */
final class ProcessCluster implements AutoCloseable {
  private final Path dir;
  private final Map<String, int[]> ports = new LinkedHashMap<>();
  private final Map<String, Process> processes = new LinkedHashMap<>();

  private ProcessCluster(Path dir, int size) {
    this.dir = dir;
    for (int i = 1; i <= size; i++) {
      ports.put("n" + i, new int[] {Ports.next(), Ports.next()});
    }
  }

  /**
   * Starts {@code size} members with data and logs under {@code dir}.
   *
   * @param settings extra configuration lines for every member
   */
  static ProcessCluster start(Path dir, int size, Map<String, String> settings) {
    ProcessCluster cluster = new ProcessCluster(dir, size);
    try {
      for (String name : cluster.ports.keySet()) {
        cluster.launch(name, settings);
      }
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  private void launch(String name, Map<String, String> settings) {
    StringBuilder members = new StringBuilder();
    ports.forEach((n, p) -> members.append(members.length() == 0 ? "" : ",")
        .append(n).append("=127.0.0.1:").append(p[0]));
    StringBuilder config = new StringBuilder()
        .append("coord.name=").append(name).append('\n')
        .append("coord.cluster.token=process-test\n")
        .append("coord.data-dir=").append(dir.resolve(name)).append('\n')
        .append("coord.cluster.initial-members=").append(members).append('\n')
        .append("coord.client.listen=").append(clientAddress(name)).append('\n')
        .append("coord.http.listen=127.0.0.1:0\n");
    settings.forEach((key, value) -> config.append(key).append('=').append(value).append('\n'));
    try {
      Path file = dir.resolve(name + ".properties");
      Files.writeString(file, config);
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
          "io.coord.server.Main", file.toString())
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve(name + ".log").toFile())
          .start();
      processes.put(name, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start member " + name, e);
    }
  }

  List<String> names() {
    return List.copyOf(ports.keySet());
  }

  String clientAddress(String name) {
    return "127.0.0.1:" + ports.get(name)[1];
  }

  List<String> endpoints() {
    return names().stream().map(this::clientAddress).toList();
  }

  /** Endpoints of every member except {@code excluded}. */
  List<String> endpointsExcept(String excluded) {
    return names().stream().filter(n -> !n.equals(excluded)).map(this::clientAddress).toList();
  }

  /** Sends {@code signal} (e.g. "STOP", "CONT") to member {@code name}'s process. */
  void signal(String name, String signal) {
    long pid = processes.get(name).pid();
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
          .redirectErrorStream(true).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + pid + " failed: "
            + new String(kill.getInputStream().readAllBytes()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Whether member {@code name}'s process is running (a stopped process counts). */
  boolean isAlive(String name) {
    return processes.get(name).isAlive();
  }

  /** Member {@code name}'s whole log so far. */
  String log(String name) {
    try {
      return Files.readString(dir.resolve(name + ".log"));
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of member {@code name}'s log, for failure messages. */
  String logTail(String name) {
    try {
      List<String> lines = Files.readAllLines(dir.resolve(name + ".log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Kills every member process (SIGKILL also ends a stopped process) and waits for it. */
  @Override
  public void close() {
    List<Process> all = new ArrayList<>(processes.values());
    for (Process process : all) {
      process.destroyForcibly();
    }
    for (Process process : all) {
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
