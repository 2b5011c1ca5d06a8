package io.coord.chaos.run;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One member process of a run: {@code java -jar coord-server.jar nI.properties}, started in
 * its network namespace if the run has them, optionally under libfaketime. Its output is
 * appended to {@code members/nI.log} across restarts. Stopped by its PID only.
 */
public final class Member {
  /** JVM options of a member: small heap, serial GC, quick start. */
  static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1");

  private final int index;
  private final String name;
  private final String host;
  private final int[] ports;
  private final Path config;
  private final Path log;
  private final List<String> prefix;
  private final List<String> javaCommand;

  private Process process;
  private boolean paused;
  private boolean expectedDown = true;
  private String skew;

  Member(int index, String host, int[] ports, Path config, Path log, List<String> prefix,
      List<String> javaCommand) {
    this.index = index;
    this.name = "n" + index;
    this.host = host;
    this.ports = ports.clone();
    this.config = config;
    this.log = log;
    this.prefix = List.copyOf(prefix);
    this.javaCommand = List.copyOf(javaCommand);
  }

  public int index() {
    return index;
  }

  public String name() {
    return name;
  }

  /** host:port of its client API. */
  public String clientEndpoint() {
    return host + ":" + ports[0];
  }

  /** host:port of its Raft transport. */
  public String peerAddress() {
    return host + ":" + ports[1];
  }

  String httpAddress() {
    return host + ":" + ports[2];
  }

  Path config() {
    return config;
  }

  public Path log() {
    return log;
  }

  /**
   * Starts the process.
   *
   * @param clockOffset a libfaketime offset such as {@code +2h} to start it with a skewed
   *     clock, or null for the real clock
   * @param fakeTimeLibrary path of libfaketime, needed with an offset
   */
  public synchronized void start(String clockOffset, Path fakeTimeLibrary) {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " already runs (pid " + process.pid() + ")");
    }
    List<String> command = new ArrayList<>(prefix);
    if (clockOffset != null) {
      command.addAll(List.of("env", "LD_PRELOAD=" + fakeTimeLibrary, "FAKETIME=" + clockOffset));
    }
    command.addAll(javaCommand);
    command.add(config.toString());
    try {
      Files.writeString(log, "=== chaos: " + Instant.now() + " starting " + name
          + (clockOffset == null ? "" : " with its clock at " + clockOffset) + ": "
          + String.join(" ", command) + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      File file = log.toFile();
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(file))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + name, e);
    }
    paused = false;
    expectedDown = false;
    skew = clockOffset;
  }

  /** SIGKILL, then waits until the process is gone. */
  public synchronized void kill() {
    expectedDown = true;
    Process current = process;
    if (current == null) {
      return;
    }
    current.destroyForcibly();
    awaitExit(current, 30);
    paused = false;
  }

  /** SIGTERM (a graceful stop); SIGKILL if it has not exited after 20 s. */
  public synchronized void terminate() {
    expectedDown = true;
    Process current = process;
    if (current == null || !current.isAlive()) {
      return;
    }
    if (paused) {
      resume();
    }
    current.destroy();
    if (!awaitExit(current, 20)) {
      current.destroyForcibly();
      awaitExit(current, 30);
    }
  }

  /** SIGSTOP. */
  public synchronized void pause() {
    Commands.signal(pid(), "STOP");
    paused = true;
  }

  /** SIGCONT. */
  public synchronized void resume() {
    Commands.signal(pid(), "CONT");
    paused = false;
  }

  private static boolean awaitExit(Process process, int seconds) {
    try {
      return process.waitFor(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The process id (of the JVM: {@code ip netns exec} and {@code env} exec it). */
  public synchronized long pid() {
    if (process == null) {
      throw new IllegalStateException(name + " was never started");
    }
    return process.pid();
  }

  /** True while the process runs (a paused one included). */
  public synchronized boolean running() {
    return process != null && process.isAlive();
  }

  /** True while SIGSTOPped by the nemesis. */
  public synchronized boolean paused() {
    return paused;
  }

  /** The exit status of a process that ended while it should have been running, else null. */
  synchronized Integer unexpectedExit() {
    if (expectedDown || process == null || process.isAlive()) {
      return null;
    }
    return process.exitValue();
  }

  /** Marks an unexpected exit as seen (the member will be restarted). */
  synchronized void acknowledgeExit() {
    expectedDown = true;
  }

  /** The clock offset it runs with, or null. */
  public synchronized String skew() {
    return skew;
  }

  @Override
  public String toString() {
    return name;
  }
}
