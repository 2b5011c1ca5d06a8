package io.coord.bench.failover;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A cluster of peer server processes (etcd, ZooKeeper) that this JVM starts directly: each
 * member has a fixed command line, logs to a file in the cluster's temporary directory, and is
 * stopped by its PID.
 */
abstract class ProcessCluster implements ManagedCluster {
  protected final Path dir;
  private final Map<String, Process> members = new LinkedHashMap<>();
  private boolean keepDir;

  ProcessCluster(String prefix) throws IOException {
    this.dir = Files.createTempDirectory(prefix);
  }

  /** The command line of member {@code name}. */
  abstract List<String> command(String name) throws IOException;

  /** True once every member serves and one leads. */
  abstract boolean healthy();

  final void startAll(List<String> names, long timeoutMs) throws Exception {
    for (String name : names) {
      members.put(name, null);
      launch(name);
    }
    awaitHealthy(timeoutMs);
  }

  private void launch(String name) throws IOException {
    Path log = dir.resolve(name + ".log");
    Process process = new ProcessBuilder(command(name)).directory(dir.toFile())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .start();
    members.put(name, process);
  }

  final void awaitHealthy(long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      for (Map.Entry<String, Process> member : members.entrySet()) {
        if (!member.getValue().isAlive()) {
          keepDir = true;
          throw new IllegalStateException(system() + " member " + member.getKey()
              + " exited (code " + member.getValue().exitValue() + "); log in " + dir);
        }
      }
      if (healthy()) {
        return;
      }
      Thread.sleep(200);
    }
    keepDir = true;
    throw new IllegalStateException(system() + " not healthy within " + timeoutMs + " ms; logs in "
        + dir);
  }

  @Override
  public long pid(String member) {
    return members.get(member).pid();
  }

  @Override
  public void restart(String member) throws Exception {
    Process old = members.get(member);
    old.destroyForcibly();
    old.waitFor(10, TimeUnit.SECONDS);
    launch(member);
    awaitHealthy(60_000);
  }

  @Override
  public void close() {
    members.values().stream().filter(p -> p != null).forEach(Process::destroy);
    for (Process p : members.values()) {
      try {
        if (p != null && !p.waitFor(15, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
    if (keepDir) {
      System.err.println("failover: " + system() + " logs kept in " + dir);
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("failover: could not remove " + dir + ": " + e);
    }
  }
}
