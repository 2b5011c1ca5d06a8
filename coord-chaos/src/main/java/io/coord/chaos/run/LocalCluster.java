package io.coord.chaos.run;

import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.cluster.ClusterClient;
import io.coord.client.cluster.MemberStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The member processes of a run and what the harness asks of them: start, health, who leads,
 * state hashes. Members whose process ends while nobody stopped it are recorded as crashes.
 * {@link #close()} kills every process by its PID.
 */
public final class LocalCluster implements AutoCloseable {
  /** Written next to the members' logs: the PIDs of the running members, for scripts/chaos. */
  static final String PID_FILE = "pids";

  private final List<Member> members;
  private final Path runDir;
  private final Path fakeTimeLibrary;
  private final Progress progress;
  private final CoordClient admin;
  private final List<Crash> crashes = new ArrayList<>();

  /**
   * A member process that ended by itself.
   *
   * @param member its name
   * @param nanos when it was noticed (the history's clock)
   * @param status its exit status
   */
  public record Crash(String member, long nanos, int status) {
  }

  private LocalCluster(List<Member> members, Path runDir, Path fakeTimeLibrary,
      Progress progress) {
    this.members = List.copyOf(members);
    this.runDir = runDir;
    this.fakeTimeLibrary = fakeTimeLibrary;
    this.progress = progress;
    this.admin = CoordClient.builder().endpoints(endpoints())
        .requestTimeout(Duration.ofSeconds(2)).attemptTimeout(Duration.ofSeconds(1)).build();
  }

  /**
   * Writes the configuration of every member (under {@code runDir/members}) and prepares the
   * processes; none is started yet.
   *
   * @param settings extra configuration lines for every member
   * @param jvmProperties extra {@code -D} options of every member JVM
   */
  public static LocalCluster create(int size, Network network, Path serverJar, Path runDir,
      Map<String, String> settings, List<String> jvmProperties, Path fakeTimeLibrary,
      Progress progress) {
    Path dir = runDir.resolve("members");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String initial = java.util.stream.IntStream.rangeClosed(1, size)
        .mapToObj(i -> "n" + i + "=" + network.host(i) + ":" + network.ports(i)[1])
        .collect(Collectors.joining(","));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> javaCommand = new ArrayList<>();
    javaCommand.add(java);
    javaCommand.addAll(Member.JVM_OPTIONS);
    javaCommand.addAll(jvmProperties);
    javaCommand.addAll(List.of("-jar", serverJar.toAbsolutePath().toString()));
    List<Member> members = new ArrayList<>();
    for (int i = 1; i <= size; i++) {
      int[] ports = network.ports(i);
      StringBuilder config = new StringBuilder()
          .append("# Written by the chaos harness for one run.\n")
          .append("coord.name=n").append(i).append('\n')
          .append("coord.cluster.token=chaos\n")
          .append("coord.data-dir=").append(dir.resolve("n" + i).toAbsolutePath()).append('\n')
          .append("coord.cluster.initial-members=").append(initial).append('\n')
          .append("coord.client.listen=").append(network.host(i)).append(':').append(ports[0])
          .append('\n')
          .append("coord.http.listen=").append(network.host(i)).append(':').append(ports[2])
          .append('\n');
      settings.forEach((k, v) -> config.append(k).append('=').append(v).append('\n'));
      Path file = dir.resolve("n" + i + ".properties");
      try {
        Files.writeString(file, config);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      members.add(new Member(i, network.host(i), ports, file, dir.resolve("n" + i + ".log"),
          network.commandPrefix(i), javaCommand));
    }
    return new LocalCluster(members, runDir, fakeTimeLibrary, progress);
  }

  public List<Member> members() {
    return members;
  }

  public Member member(String name) {
    return members.stream().filter(m -> m.name().equals(name)).findFirst().orElseThrow();
  }

  /** Client endpoints of every member, in member order. */
  public List<String> endpoints() {
    return members.stream().map(Member::clientEndpoint).toList();
  }

  /** Starts every member that does not run. */
  public void startAll() {
    for (Member member : members) {
      if (!member.running()) {
        start(member, null);
      }
    }
  }

  /** Starts {@code member}, with its clock at {@code clockOffset} (null: the real clock). */
  public void start(Member member, String clockOffset) {
    if (clockOffset != null && fakeTimeLibrary == null) {
      throw new IllegalStateException("clock skew needs libfaketime (apt-get install faketime)");
    }
    member.start(clockOffset, fakeTimeLibrary);
    writePids();
  }

  private synchronized void writePids() {
    StringBuilder pids = new StringBuilder();
    for (Member member : members) {
      if (member.running()) {
        pids.append(member.pid()).append('\n');
      }
    }
    try {
      Files.writeString(runDir.resolve(PID_FILE), pids);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits until every member runs, answers, knows the same leader and is healthy; throws with
   * the members' last answers if that does not happen in time.
   */
  public void awaitHealthy(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer yet";
    while (System.nanoTime() < deadline) {
      List<String> problems = new ArrayList<>();
      long leader = -1;
      for (Member member : members) {
        if (!member.running()) {
          problems.add(member + " not running");
          continue;
        }
        try {
          MemberStatus status = cluster().localStatus(member.clientEndpoint());
          if (!status.healthy()) {
            problems.add(member + ": " + status.reason());
          } else if (leader != -1 && leader != status.leaderId()) {
            problems.add(member + " follows another leader");
          }
          leader = status.healthy() ? status.leaderId() : leader;
        } catch (CoordException e) {
          problems.add(member + ": " + e.getMessage());
        }
      }
      if (problems.isEmpty()) {
        return;
      }
      last = String.join("; ", problems);
      sleep(200);
    }
    throw new IllegalStateException("the cluster did not become healthy within " + timeout
        + ": " + last);
  }

  /**
   * Waits up to {@code timeout} until the restarted {@code member} serves with a leader (gives
   * up early if it stopped). A restart's heal is logged after this: the session checker counts a
   * leader loss as over at its heal, and a member that is still starting (seconds, when a
   * majority was killed) has restarted nobody's TTL yet.
   */
  public void awaitServing(Member member, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline && member.running()) {
      try {
        if (status(member).healthy()) {
          return;
        }
      } catch (RuntimeException notYet) {
        // Still starting.
      }
      sleep(200);
    }
  }

  /** The member that leads now (asked of every running, unpaused member), if any. */
  public Optional<Member> leader() {
    return leadership().map(Leadership::member);
  }

  /** A member that says it leads, and the term it leads in. */
  public record Leadership(Member member, long term) {}

  /** The member that leads in the highest term among those that say they lead, if any. */
  public Optional<Leadership> leadership() {
    List<CompletableFuture<Optional<MemberStatus>>> answers = new ArrayList<>();
    List<Member> asked = new ArrayList<>();
    for (Member member : members) {
      if (member.running() && !member.paused()) {
        asked.add(member);
        answers.add(CompletableFuture.supplyAsync(() -> {
          try {
            return Optional.of(cluster().localStatus(member.clientEndpoint()));
          } catch (CoordException e) {
            return Optional.empty();
          }
        }));
      }
    }
    Member best = null;
    long bestTerm = -1;
    for (int i = 0; i < asked.size(); i++) {
      Optional<MemberStatus> status = answers.get(i).join();
      if (status.isPresent() && status.get().isLeader() && status.get().raftTerm() > bestTerm) {
        best = asked.get(i);
        bestTerm = status.get().raftTerm();
      }
    }
    return best == null ? Optional.empty() : Optional.of(new Leadership(best, bestTerm));
  }

  /** Waits up to {@code timeout} for a leader. */
  public Optional<Member> awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    do {
      Optional<Member> leader = leader();
      if (leader.isPresent()) {
        return leader;
      }
      sleep(200);
    } while (System.nanoTime() < deadline);
    return Optional.empty();
  }

  /**
   * Asks the cluster to move leadership to {@code target}; true if it leads within
   * {@code timeout} (the request itself may go on a little longer in the background).
   */
  public boolean transferLeadership(Member target, Duration timeout) {
    CompletableFuture<Long> transfer = CompletableFuture.supplyAsync(
        () -> cluster().transferLeadership(target.name()));
    try {
      transfer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException | ExecutionException e) {
      return leader().filter(target::equals).isPresent();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
    return leader().filter(target::equals).isPresent();
  }

  /** The state hash of {@code member}. */
  public ClusterClient.StateHash stateHash(Member member) {
    return cluster().stateHash(member.clientEndpoint());
  }

  /** The status of {@code member}, asked directly. */
  public MemberStatus status(Member member) {
    return cluster().localStatus(member.clientEndpoint());
  }

  private ClusterClient cluster() {
    return admin.cluster();
  }

  /**
   * Records the members whose process ended while nobody stopped it (a crash: Coord stops a
   * member whose state it can no longer trust) and returns the new ones.
   */
  public synchronized List<Crash> detectCrashes(long nowNanos) {
    List<Crash> found = new ArrayList<>();
    for (Member member : members) {
      Integer status = member.unexpectedExit();
      if (status != null) {
        member.acknowledgeExit();
        Crash crash = new Crash(member.name(), nowNanos, status);
        crashes.add(crash);
        found.add(crash);
        progress.say("!! %s exited by itself with status %d (see %s)", member, status,
            member.log());
      }
    }
    return found;
  }

  /** Every crash seen so far. */
  public synchronized List<Crash> crashes() {
    return List.copyOf(crashes);
  }

  /** Resumes paused members and starts stopped ones (without clock skew). */
  public void restoreAll() {
    for (Member member : members) {
      if (member.paused()) {
        member.resume();
      }
      if (member.skew() != null && member.running()) {
        member.terminate();
      }
      if (!member.running()) {
        start(member, null);
      }
    }
  }

  /** Kills every member process by its PID (a paused one too) and closes the admin client. */
  @Override
  public void close() {
    for (Member member : members) {
      try {
        member.kill();
      } catch (RuntimeException e) {
        progress.say("cannot kill %s: %s", member, e.getMessage());
      }
    }
    try {
      Files.deleteIfExists(runDir.resolve(PID_FILE));
    } catch (IOException e) {
      // Only a hint for scripts/chaos, whose cleanup checks each PID anyway.
    }
    admin.close();
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Members ordered by name, for reports. */
  static Comparator<Member> byName() {
    return Comparator.comparing(Member::name);
  }
}
