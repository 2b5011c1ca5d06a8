package io.coord.chaos.run;

import io.coord.chaos.check.Anomaly;
import io.coord.chaos.check.Availability;
import io.coord.chaos.check.AvailabilityChecker;
import io.coord.chaos.check.CheckResult;
import io.coord.chaos.check.CheckSuite;
import io.coord.chaos.check.Verdict;
import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.FaultWriter;
import io.coord.chaos.history.History;
import io.coord.chaos.history.HistoryReader;
import io.coord.chaos.history.HistoryWriter;
import io.coord.chaos.nemesis.FaultContext;
import io.coord.chaos.nemesis.KillNemesis;
import io.coord.chaos.nemesis.Nemesis;
import io.coord.chaos.nemesis.NemesisSchedule;
import io.coord.chaos.nemesis.PartitionNemesis;
import io.coord.chaos.nemesis.PauseNemesis;
import io.coord.chaos.nemesis.SkewNemesis;
import io.coord.chaos.workload.CounterWorkload;
import io.coord.chaos.workload.LockWorkload;
import io.coord.chaos.workload.Recorder;
import io.coord.chaos.workload.RegisterWorkload;
import io.coord.chaos.workload.SessionWorkload;
import io.coord.chaos.workload.SetWorkload;
import io.coord.chaos.workload.WatchWorkload;
import io.coord.chaos.workload.Workload;
import io.coord.chaos.workload.WorkloadContext;
import io.coord.client.cluster.ClusterClient;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * One chaos run, start to verdict: starts the member processes (in network namespaces when
 * partitions are asked for), waits until they are healthy, runs the workloads while the nemesis
 * injects faults, heals everything, waits until the cluster is healthy again, takes the final
 * reads and every member's state hash, stops every process and removes every namespace, then
 * checks the history and writes the report.
 *
 * <p>Bounded: the workloads run for the duration, every wait after it has a limit, and a
 * watchdog tears the cluster down if the whole run exceeds the duration plus
 * {@link #HARD_MARGIN}. Every process and namespace is removed at the end, on failure, and on
 * SIGINT/SIGTERM of this JVM.
 */
public final class ChaosRun {
  /** Time a run may take beyond its duration before the watchdog tears it down. */
  static final Duration HARD_MARGIN = Duration.ofMinutes(6);
  private static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(60);
  /** No fault starts this close to the end of the workloads. */
  private static final Duration QUIET_TAIL = Duration.ofSeconds(5);

  private final ChaosOptions options;
  private final Progress progress;
  private final long origin = System.nanoTime();
  private final List<String> notes = new ArrayList<>();
  private Network network;
  private LocalCluster cluster;
  private Map<String, Integer> injectedByKind = Map.of();
  private boolean torndown;

  private ChaosRun(ChaosOptions options, PrintStream err) {
    this.options = options;
    this.progress = new Progress(err, origin);
  }

  /** Runs {@code options}; progress goes to {@code err}. */
  public static RunResult run(ChaosOptions options, PrintStream err) throws IOException {
    return new ChaosRun(options, err).run();
  }

  private RunResult run() throws IOException {
    Path dir = options.out();
    Files.createDirectories(dir);
    if (Files.exists(dir.resolve("history.jsonl"))) {
      throw new IllegalArgumentException(dir + " already holds a run (history.jsonl)");
    }
    Thread hook = new Thread(this::teardown, "chaos-teardown");
    Runtime.getRuntime().addShutdownHook(hook);
    Thread watchdog = watchdog(Thread.currentThread());
    try {
      long[] counts = execute(dir);
      return check(dir, counts);
    } finally {
      watchdog.interrupt();
      teardown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook runs anyway.
      }
    }
  }

  private long[] execute(Path dir) throws IOException {
    Path fakeTime = options.faults().contains("skew") ? FakeTime.library() : null;
    progress.say("run %s: %d members, faults %s, workloads %s, %ds, seed %d%s", dir,
        options.nodes(), options.faults().isEmpty() ? "none" : options.faults(),
        options.workloads(), options.duration().toSeconds(), options.seed(),
        options.unsafe() == ChaosOptions.Unsafe.NONE ? ""
            : ", UNSAFE mode " + options.unsafe().option());
    synchronized (this) {
      network = options.needsNamespaces()
          ? NamespaceNetwork.create(options.nodes(), dir.resolve("network.txt"))
          : new LoopbackNetwork(options.nodes());
      cluster = LocalCluster.create(options.nodes(), network, options.serverJar(), dir,
          options.memberSettings(), options.memberJvmOptions(), fakeTime, progress);
    }
    progress.say("network: %s", network.describe());
    if (!Files.isRegularFile(options.serverJar())) {
      throw new IllegalStateException("no server jar at " + options.serverJar()
          + " (build with ./mvnw -B -DskipTests package)");
    }
    cluster.startAll();
    cluster.awaitHealthy(HEALTHY_TIMEOUT);
    String firstLeader = cluster.leader().map(Member::name).orElse(null);
    progress.say("cluster healthy; leader %s", firstLeader);

    Recorder recorder;
    NemesisSchedule schedule;
    List<Workload> workloads = new ArrayList<>();
    try (HistoryWriter history = HistoryWriter.open(dir.resolve("history.jsonl"),
        System::nanoTime);
         FaultWriter faults = FaultWriter.open(dir.resolve("faults.jsonl"), System::nanoTime)) {
      recorder = new Recorder(history);
      long end = System.nanoTime() + options.duration().toNanos();
      WorkloadContext context = new WorkloadContext(recorder, cluster.endpoints(),
          options.seed(), progress, end);
      for (String name : options.workloads()) {
        Workload workload = workload(name, options.unsafe());
        workload.start(context);
        workloads.add(workload);
      }
      schedule = new NemesisSchedule(options.faults().stream().map(ChaosRun::nemesis).toList(),
          new FaultContext(cluster, network, faults, new Random(options.seed()), progress),
          options.timing(), end - QUIET_TAIL.toNanos());
      LeaderMonitor leaders = new LeaderMonitor(cluster, faults, firstLeader);
      leaders.start();
      schedule.start();
      watch(end, recorder);
      schedule.stop();
      progress.say("stopping the workloads");
      workloads.forEach(Workload::stop);
      heal();
      progress.say("final reads");
      for (Workload workload : workloads) {
        try {
          workload.finish(context);
        } catch (RuntimeException e) {
          note("the final reads of " + workload.name() + " failed: " + e);
        }
      }
      memberStates(recorder);
      progress.say("leader changes seen: %d", leaders.stop());
    }
    Map<String, Integer> injected = schedule.injected();
    progress.say("faults injected: %s", injected.isEmpty() ? "none" : injected);
    schedule.errors().forEach(e -> note("nemesis: " + e));
    injectedByKind = injected;
    return recorder.counts();
  }

  /** Sleeps until {@code end}, restarting crashed members and printing counts now and then. */
  private void watch(long end, Recorder recorder) {
    long nextReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < end) {
      LocalCluster.sleep(Math.max(1, Math.min(1000,
          TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
      for (LocalCluster.Crash crash : cluster.detectCrashes(System.nanoTime())) {
        cluster.start(cluster.member(crash.member()), null);
      }
      if (System.nanoTime() > nextReport) {
        long[] counts = recorder.counts();
        progress.say("operations: %d ok, %d fail, %d info", counts[0], counts[1], counts[2]);
        nextReport += TimeUnit.SECONDS.toNanos(10);
      }
    }
  }

  /** Undoes every fault and waits until the cluster is healthy. */
  private void heal() {
    progress.say("healing: network, paused, stopped and skewed members");
    cluster.detectCrashes(System.nanoTime());
    if (network.partitions()) {
      network.healAll();
    }
    cluster.restoreAll();
    try {
      cluster.awaitHealthy(HEALTHY_TIMEOUT);
      progress.say("cluster healthy again");
    } catch (IllegalStateException e) {
      note("after healing: " + e.getMessage());
      progress.say("%s", e.getMessage());
    }
  }

  /**
   * Records every member's state hash once all of them applied the same index (waiting, bounded,
   * for stragglers and for entries still in flight, such as session expiries).
   */
  private void memberStates(Recorder recorder) {
    long deadline = System.nanoTime() + CONVERGE_TIMEOUT.toNanos();
    Map<Member, ClusterClient.StateHash> hashes = new LinkedHashMap<>();
    while (true) {
      hashes.clear();
      for (Member member : cluster.members()) {
        try {
          hashes.put(member, cluster.stateHash(member));
        } catch (RuntimeException e) {
          progress.say("no state hash from %s yet: %s", member, e.getMessage());
        }
      }
      boolean converged = hashes.size() == cluster.members().size() && hashes.values().stream()
          .mapToLong(ClusterClient.StateHash::appliedIndex).distinct().count() == 1;
      if (converged || System.nanoTime() > deadline) {
        break;
      }
      LocalCluster.sleep(500);
    }
    for (Member member : cluster.members()) {
      long process = recorder.newProcess();
      recorder.invoke(process, F.MEMBER_STATE, member.name(), null);
      ClusterClient.StateHash hash = hashes.get(member);
      if (hash == null) {
        recorder.fail(process, F.MEMBER_STATE, member.name(), null, "no answer");
      } else {
        recorder.ok(process, F.MEMBER_STATE, member.name(),
            Map.of("applied_index", hash.appliedIndex(), "hash", hash.hash()));
      }
    }
    progress.say("member states: %s", hashes.values().stream().map(h -> h.member() + "@"
        + h.appliedIndex() + " " + h.hash().substring(0, 12)).toList());
  }

  private RunResult check(Path dir, long[] counts) throws IOException {
    cluster.detectCrashes(System.nanoTime());
    teardown();
    progress.say("checking the history");
    History history = HistoryReader.read(dir.resolve("history.jsonl"));
    FaultLog faults = FaultLog.read(dir.resolve("faults.jsonl"));
    CheckSuite.Options checkOptions = CheckSuite.Options.defaults();
    List<CheckResult> results = new ArrayList<>(CheckSuite.standard(checkOptions)
        .run(history, faults));
    results.add(crashResult());
    results.add(evidenceResult());
    Availability availability = null;
    AvailabilityChecker availabilityChecker = new AvailabilityChecker(
        checkOptions.availabilityWindow(), null);
    if (availabilityChecker.appliesTo(history)) {
      availability = availabilityChecker.measure(history, faults);
    }
    Verdict verdict = CheckSuite.verdict(results);
    String summary = summary(verdict, results, counts, faults, availability);
    RunReport.write(dir, header(counts), history, faults, results, availability,
        checkOptions.availabilityWindow().toMillis());
    progress.say("report: %s", dir.resolve("report.txt"));
    return new RunResult(verdict, results, Optional.ofNullable(availability), injectedByKind,
        counts, dir, summary);
  }

  /** Member processes that ended by themselves fail the run: Coord stopped a member. */
  private CheckResult crashResult() {
    List<LocalCluster.Crash> crashes = cluster.crashes();
    List<Anomaly> anomalies = crashes.stream().map(c -> new Anomaly("member-crashed",
        c.member() + " exited by itself with status " + c.status() + " at "
            + io.coord.chaos.history.Times.relative(c.nanos(), origin) + " (see members/"
            + c.member() + ".log)")).toList();
    return CheckResult.of("member-crashes", crashes.size() + " member processes ended by"
        + " themselves", anomalies);
  }

  /**
   * Evidence that the run tested what it claims: every requested kind of fault was injected
   * at least once, and nothing went wrong in the harness; otherwise undecided.
   */
  private CheckResult evidenceResult() {
    List<String> missing = options.faults().stream()
        .filter(kind -> !injectedByKind.containsKey(kind)).toList();
    String summary = "faults injected " + (injectedByKind.isEmpty() ? "none" : injectedByKind)
        + (notes.isEmpty() ? "" : "; " + notes.size() + " harness notes");
    if (!missing.isEmpty() || !notes.isEmpty()) {
      List<String> reasons = new ArrayList<>(notes);
      if (!missing.isEmpty()) {
        reasons.add(0, "never injected: " + missing);
      }
      return new CheckResult("evidence", Verdict.UNKNOWN, summary + ": "
          + String.join("; ", reasons), List.of());
    }
    return CheckResult.of("evidence", summary, List.of());
  }

  private List<String> header(long[] counts) {
    List<String> lines = new ArrayList<>();
    lines.add("Coord chaos run");
    lines.add("options: " + options.nodes() + " members, faults "
        + (options.faults().isEmpty() ? "none" : String.join(",", options.faults()))
        + ", workloads " + String.join(",", options.workloads()) + ", duration "
        + options.duration().toSeconds() + " s, seed " + options.seed() + ", unsafe mode "
        + options.unsafe().option()
        + (options.snapshotEvery() > 0 ? ", snapshot every " + options.snapshotEvery() : ""));
    lines.add("network: " + network.describe());
    lines.add("member logs: members/<name>.log; configs: members/<name>.properties");
    lines.add("faults injected: " + (injectedByKind.isEmpty() ? "none" : injectedByKind));
    lines.add(String.format(Locale.ROOT, "operations: %d ok, %d fail, %d info", counts[0],
        counts[1], counts[2]));
    notes.forEach(note -> lines.add("note: " + note));
    return lines;
  }

  private static String summary(Verdict verdict, List<CheckResult> results, long[] counts,
      FaultLog faults, Availability availability) {
    long failed = results.stream().filter(r -> r.verdict() == Verdict.FAIL).count();
    long unknown = results.stream().filter(r -> r.verdict() == Verdict.UNKNOWN).count();
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
        "VERDICT %s: %d checkers, %d failed, %d unknown; %d operations (%d ok, %d fail, %d"
            + " info); %d faults (%d leader losses)", verdict, results.size(), failed,
        unknown, counts[0] + counts[1] + counts[2], counts[0], counts[1], counts[2],
        faults.intervals().size(), faults.leaderLosses().size()));
    if (availability != null) {
      line.append(String.format(Locale.ROOT,
          "; writes acknowledged in %.1f%% of 100 ms windows", 100 * availability.fraction()));
      long worst = availability.recoveries().stream()
          .mapToLong(Availability.Recovery::unavailableNanos).max().orElse(-1);
      if (worst >= 0) {
        line.append(worst == Long.MAX_VALUE ? ", a leader loss never recovered"
            : String.format(Locale.ROOT, ", longest write outage after a leader loss %.2f s",
                worst / 1e9));
      }
    }
    if (failed > 0) {
      line.append("; failed: ").append(String.join(", ", results.stream()
          .filter(r -> r.verdict() == Verdict.FAIL).map(CheckResult::checker).toList()));
    }
    return line.toString();
  }

  private void note(String note) {
    synchronized (notes) {
      notes.add(note);
    }
    progress.say("note: %s", note);
  }

  /** Kills every member and removes the network; idempotent, never throws. */
  private synchronized void teardown() {
    if (torndown) {
      return;
    }
    torndown = true;
    if (cluster != null) {
      try {
        cluster.close();
      } catch (RuntimeException e) {
        progress.say("stopping the members: %s", e);
      }
    }
    if (network != null) {
      network.close();
    }
  }

  /** Tears the run down if it exceeds its duration plus the margin. */
  private Thread watchdog(Thread main) {
    long limit = options.duration().plus(HARD_MARGIN).toMillis();
    Thread thread = new Thread(() -> {
      try {
        Thread.sleep(limit);
      } catch (InterruptedException done) {
        return;
      }
      progress.say("hard timeout: the run took more than %d s; tearing it down", limit / 1000);
      teardown();
      main.interrupt();
    }, "chaos-watchdog");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  static Workload workload(String name, ChaosOptions.Unsafe unsafe) {
    return switch (name) {
      case "lock" -> new LockWorkload(unsafe != ChaosOptions.Unsafe.UNFENCED_LOCKS);
      case "register" -> new RegisterWorkload();
      case "set" -> new SetWorkload();
      case "counter" -> new CounterWorkload();
      case "session" -> new SessionWorkload();
      case "watch" -> new WatchWorkload();
      default -> throw new IllegalArgumentException("unknown workload " + name);
    };
  }

  static Nemesis nemesis(String name) {
    return switch (name) {
      case "kill" -> new KillNemesis();
      case "pause" -> new PauseNemesis();
      case "partition" -> new PartitionNemesis();
      case "skew" -> new SkewNemesis();
      default -> throw new IllegalArgumentException("unknown fault " + name);
    };
  }
}
