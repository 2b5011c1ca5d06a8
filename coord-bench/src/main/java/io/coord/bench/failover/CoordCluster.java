package io.coord.bench.failover;

import io.coord.client.CoordClient;
import io.coord.client.cluster.MemberStatus;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Coord cluster the bench starts itself through {@code scripts/cluster}, in its own data
 * directory and on free ports, and always stops (by the PIDs in its pid files, and by its
 * unique data directory as a last resort). The leader is found with the client's cluster
 * status.
 */
public final class CoordCluster implements ManagedCluster {
  private static final long SCRIPT_TIMEOUT_S = 180;

  private final Path root;
  private final Path data;
  private final int portBase;
  private final int size;
  private volatile boolean keepData;

  private CoordClient client;

  private CoordCluster(Path root, Path data, int portBase, int size) {
    this.root = root;
    this.data = data;
    this.portBase = portBase;
    this.size = size;
  }

  /**
   * Starts {@code size} members and waits until they are healthy; {@code keepLogs} leaves their
   * data directory (and logs) in place when the cluster stops.
   */
  public static CoordCluster start(Path root, int size, int portBase, boolean keepLogs)
      throws IOException, InterruptedException {
    Path data = Files.createTempDirectory("coord-bench-cluster-");
    int base = portBase > 0 ? portBase : FreePorts.base(17_700, 1, 2, 3, 11, 12, 13, 14, 15);
    CoordCluster cluster = new CoordCluster(root, data, base, size);
    cluster.keepData = keepLogs;
    try {
      cluster.script("up", Integer.toString(size));
      cluster.client = CoordClient.builder().endpoints(cluster.endpoints())
          .requestTimeout(Duration.ofSeconds(5)).build();
    } catch (IOException | RuntimeException e) {
      cluster.close();
      throw e;
    }
    return cluster;
  }

  @Override
  public String system() {
    return "coord";
  }

  @Override
  public String awaitLeader(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      try {
        Optional<MemberStatus> leader = client.cluster().status().stream()
            .filter(MemberStatus::isLeader).findFirst();
        if (leader.isPresent()) {
          return leader.get().member().name();
        }
      } catch (RuntimeException notYet) {
        // no answer yet: ask again
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no Coord leader within " + timeoutMs + " ms");
  }

  @Override
  public long pid(String member) {
    return runningPid(member).orElseThrow(
        () -> new IllegalStateException("member " + member + " is not running"));
  }

  /** Starts member {@code name} again (scripts/cluster waits until it is healthy). */
  @Override
  public void restart(String member) throws IOException, InterruptedException {
    script("start", member.replaceFirst("^n", ""));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        List<MemberStatus> members = client.cluster().status();
        if (members.stream().allMatch(MemberStatus::healthy)
            && members.stream().anyMatch(MemberStatus::isLeader)) {
          return;
        }
      } catch (RuntimeException notYet) {
        // ask again
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("Coord cluster not healthy within 60 s of restarting "
        + member);
  }

  /** The repository root: the given one, $COORD_ROOT, or the one holding this jar. */
  public static Path findRoot(Path given) {
    if (given != null) {
      return given;
    }
    String env = System.getenv("COORD_ROOT");
    if (env != null) {
      return Path.of(env);
    }
    try {
      Path jar = Path.of(CoordCluster.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
      // coord-bench/target/coord-bench.jar (or target/classes) -> the repository root
      Path candidate = jar.getParent().getParent().getParent();
      if (Files.isExecutable(candidate.resolve("scripts/cluster"))) {
        return candidate;
      }
    } catch (Exception ignored) {
      // fall through to the working directory
    }
    return Path.of("").toAbsolutePath();
  }

  @Override
  public List<String> endpoints() {
    List<String> endpoints = new ArrayList<>();
    for (int n = 1; n <= size; n++) {
      endpoints.add("127.0.0.1:" + (portBase + n));
    }
    return endpoints;
  }

  /** The PID of member {@code name} (n1, n2, ...), if it runs. */
  private Optional<Long> runningPid(String name) {
    try {
      String text = Files.readString(data.resolve(name + ".pid")).trim();
      long pid = Long.parseLong(text);
      return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(p -> pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private void script(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(root.resolve("scripts/cluster").toString());
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
        .redirectOutput(ProcessBuilder.Redirect.appendTo(new File("/dev/stderr")))
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = builder.environment();
    env.put("COORD_DATA", data.toString());
    env.put("COORD_PORT_BASE", Integer.toString(portBase));
    env.put("COORD_NO_BUILD", "1");
    Process process = builder.start();
    if (!process.waitFor(SCRIPT_TIMEOUT_S, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IOException("scripts/cluster " + String.join(" ", args) + " did not finish in "
          + SCRIPT_TIMEOUT_S + " s");
    }
    if (process.exitValue() != 0) {
      keepData = true;
      throw new IOException("scripts/cluster " + String.join(" ", args) + " failed (exit "
          + process.exitValue() + "); logs in " + data);
    }
  }

  /** Stops every member, by SIGKILL of the PIDs it started if the script cannot. */
  @Override
  public void close() {
    if (client != null) {
      client.close();
    }
    try {
      script("down");
    } catch (IOException | InterruptedException e) {
      System.err.println("failover: scripts/cluster down failed (" + e + "); killing by PID");
    }
    for (int n = 1; n <= size; n++) {
      runningPid("n" + n).flatMap(ProcessHandle::of).ifPresent(ProcessHandle::destroyForcibly);
    }
    // A member whose pid file went missing still names this run's unique data directory on
    // its command line: find it by that and kill it by its PID.
    String marker = data.toString() + "/";
    ProcessHandle.allProcesses()
        .filter(p -> p.info().commandLine().map(c -> c.contains(marker)).orElse(false))
        .forEach(p -> {
          System.err.println("failover: killing leftover member pid " + p.pid());
          p.destroyForcibly();
          keepData = true;
        });
    if (keepData) {
      System.err.println("failover: member logs kept in " + data);
    } else {
      deleteRecursively(data);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      System.err.println("failover: could not remove " + dir + ": " + e);
    }
  }
}
