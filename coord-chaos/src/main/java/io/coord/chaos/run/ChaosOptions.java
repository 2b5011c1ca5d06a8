package io.coord.chaos.run;

import io.coord.chaos.nemesis.NemesisSchedule;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one chaos run does.
 *
 * @param duration how long the workloads run (faults start no later than 5 s before the end)
 * @param nodes cluster size, 3 or 5
 * @param faults the kinds of fault: {@code kill}, {@code pause}, {@code partition},
 *     {@code skew}; empty for a run without faults
 * @param workloads the workloads run together: {@code register}, {@code set},
 *     {@code counter}, {@code session}, {@code watch}, {@code lock}
 * @param out the run directory (created; must not hold a run already)
 * @param unsafe a deliberately broken mode (of the server, or of the lock workload's use of
 *     locks), or {@link Unsafe#NONE}
 * @param seed seed of every random choice (the schedule, the workloads' choices)
 * @param serverJar the coord-server jar the members run
 * @param timing the nemesis schedule's durations
 * @param snapshotEvery if positive, members snapshot every this many entries and purge their
 *     log aggressively, so that a member that was down or cut off catches up by snapshot
 */
public record ChaosOptions(Duration duration, int nodes, List<String> faults,
    List<String> workloads, Path out, Unsafe unsafe, long seed, Path serverJar,
    NemesisSchedule.Timing timing, long snapshotEvery) {

  public static final Set<String> FAULTS = Set.of("kill", "pause", "partition", "skew");
  public static final Set<String> WORKLOADS = Set.of("register", "set", "counter", "session",
      "watch", "lock");

  /** A deliberately broken mode, to show that the checkers catch it. */
  public enum Unsafe {
    NONE("none", null),
    /** Linearizable reads from local state, without ReadIndex: stale reads. */
    LOCAL_READS("local-reads", "coord.unsafe.local-linearizable-reads"),
    /** Apply ignores the dedupe table: retried writes apply twice. */
    SKIP_DEDUPE("skip-dedupe", "coord.unsafe.skip-dedupe"),
    /**
     * Not a server mode: the lock workload writes without a fencing guard, trusting the lock
     * alone (the server is correct). A holder paused past its session's TTL then writes over
     * the next holder's writes.
     */
    UNFENCED_LOCKS("unfenced-locks", null);

    private final String option;
    private final String configKey;

    Unsafe(String option, String configKey) {
      this.option = option;
      this.configKey = configKey;
    }

    public String option() {
      return option;
    }

    /** The server configuration key it sets to true, or null. */
    public String configKey() {
      return configKey;
    }

    static Unsafe parse(String text) {
      for (Unsafe mode : values()) {
        if (mode.option.equals(text)) {
          return mode;
        }
      }
      throw new IllegalArgumentException("--unsafe: none, local-reads, skip-dedupe or"
          + " unfenced-locks, not " + text);
    }
  }

  public ChaosOptions {
    if (nodes != 3 && nodes != 5) {
      throw new IllegalArgumentException("--nodes: 3 or 5, not " + nodes);
    }
    if (duration.compareTo(Duration.ofSeconds(10)) < 0
        || duration.compareTo(Duration.ofHours(12)) > 0) {
      throw new IllegalArgumentException("--duration: 10 s to 12 h, not " + duration);
    }
    if (snapshotEvery != 0 && snapshotEvery < 16) {
      throw new IllegalArgumentException("--snapshot-every: at least 16, not " + snapshotEvery);
    }
    faults = List.copyOf(new LinkedHashSet<>(faults));
    workloads = List.copyOf(new LinkedHashSet<>(workloads));
    for (String fault : faults) {
      if (!FAULTS.contains(fault)) {
        throw new IllegalArgumentException("--faults: kill, pause, partition, skew (or none),"
            + " not " + fault);
      }
    }
    if (workloads.isEmpty()) {
      throw new IllegalArgumentException("--workload: at least one of register, set, counter,"
          + " session, watch, lock");
    }
    for (String workload : workloads) {
      if (!WORKLOADS.contains(workload)) {
        throw new IllegalArgumentException("--workload: register, set, counter, session, watch"
            + " or lock, not " + workload);
      }
    }
    if (unsafe == Unsafe.UNFENCED_LOCKS && !workloads.contains("lock")) {
      throw new IllegalArgumentException("--unsafe unfenced-locks needs --workload lock");
    }
  }

  /** Defaults for a run of {@code workloads} under {@code faults}, into {@code out}. */
  public static ChaosOptions of(Duration duration, int nodes, List<String> faults,
      List<String> workloads, Path out) {
    return new ChaosOptions(duration, nodes, faults, workloads, out, Unsafe.NONE,
        System.nanoTime(), defaultServerJar(), NemesisSchedule.Timing.standard(), 0);
  }

  public ChaosOptions withOut(Path value) {
    return new ChaosOptions(duration, nodes, faults, workloads, value, unsafe, seed, serverJar,
        timing, snapshotEvery);
  }

  public ChaosOptions withUnsafe(Unsafe value) {
    return new ChaosOptions(duration, nodes, faults, workloads, out, value, seed, serverJar,
        timing, snapshotEvery);
  }

  public ChaosOptions withSeed(long value) {
    return new ChaosOptions(duration, nodes, faults, workloads, out, unsafe, value, serverJar,
        timing, snapshotEvery);
  }

  public ChaosOptions withServerJar(Path value) {
    return new ChaosOptions(duration, nodes, faults, workloads, out, unsafe, seed, value,
        timing, snapshotEvery);
  }

  public ChaosOptions withTiming(NemesisSchedule.Timing value) {
    return new ChaosOptions(duration, nodes, faults, workloads, out, unsafe, seed, serverJar,
        value, snapshotEvery);
  }

  public ChaosOptions withSnapshotEvery(long value) {
    return new ChaosOptions(duration, nodes, faults, workloads, out, unsafe, seed, serverJar,
        timing, value);
  }

  /** True if the members must live in network namespaces. */
  public boolean needsNamespaces() {
    return faults.contains("partition");
  }

  /** Extra configuration of every member. */
  Map<String, String> memberSettings() {
    Map<String, String> settings = new LinkedHashMap<>();
    settings.put("coord.session.min-ttl", "3s");
    if (snapshotEvery > 0) {
      settings.put("coord.raft.snapshot-threshold", Long.toString(snapshotEvery));
      settings.put("coord.raft.log.segment-size", "1MiB");
      settings.put("coord.raft.log.purge-gap", "16");
      settings.put("coord.raft.log.preserve", "0");
    }
    if (unsafe.configKey() != null) {
      settings.put(unsafe.configKey(), "true");
    }
    return settings;
  }

  /** Extra options of every member JVM. */
  List<String> memberJvmOptions() {
    return unsafe.configKey() == null ? List.of() : List.of("-Dcoord.unsafe.allow=true");
  }

  /** coord-server/target/coord-server.jar from the working directory or its parent. */
  static Path defaultServerJar() {
    Path here = Path.of("coord-server", "target", "coord-server.jar");
    Path parent = Path.of("..", "coord-server", "target", "coord-server.jar");
    return here.toFile().isFile() || !parent.toFile().isFile() ? here : parent;
  }

  static final String USAGE = """
      usage: chaos --duration SECONDS --nodes 3|5 --faults kill,pause,partition,skew|none
                   --workload register,set,counter,session,watch,lock --out DIR
                   [--unsafe none|local-reads|skip-dedupe|unfenced-locks] [--seed N]
                   [--server-jar PATH]
                   [--snapshot-every N]
        Starts a cluster of member processes, runs the workloads for the duration while the
        nemesis injects the faults, heals, takes final reads and member state hashes, and checks
        the history. Writes DIR/history.jsonl, DIR/faults.jsonl, DIR/members/<name>.log and
        DIR/report.txt; prints progress on stderr and a verdict line on stdout.
        --unsafe runs a deliberately broken server (test only) to show the checkers catch it;
        unfenced-locks keeps the server correct and makes the lock workload write without its
        fencing token.
        Exit status: 0 every checker passed, 1 a checker failed, 2 undecided, 3 the harness
        failed, 64 usage.""";

  /** Parses the command line. */
  public static ChaosOptions parse(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        throw new IllegalArgumentException("unexpected argument: " + arg);
      }
      String name;
      String value;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(2, eq);
        value = arg.substring(eq + 1);
      } else {
        name = arg.substring(2);
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        value = args[++i];
      }
      if (values.put(name, value) != null) {
        throw new IllegalArgumentException("--" + name + " given twice");
      }
    }
    List<String> known = List.of("duration", "nodes", "faults", "workload", "out", "unsafe",
        "seed", "server-jar", "snapshot-every");
    for (String name : values.keySet()) {
      if (!known.contains(name)) {
        throw new IllegalArgumentException("unknown option --" + name);
      }
    }
    for (String required : List.of("duration", "out", "workload")) {
      if (!values.containsKey(required)) {
        throw new IllegalArgumentException("--" + required + " is required");
      }
    }
    List<String> faults = list(values.getOrDefault("faults", "none"));
    faults.remove("none");
    ChaosOptions options = of(Duration.ofSeconds(number(values, "duration", 0)),
        (int) number(values, "nodes", 3), faults, list(values.get("workload")),
        Path.of(values.get("out")));
    options = options.withUnsafe(Unsafe.parse(values.getOrDefault("unsafe", "none")));
    if (values.containsKey("seed")) {
      options = options.withSeed(number(values, "seed", 0));
    }
    if (values.containsKey("server-jar")) {
      options = options.withServerJar(Path.of(values.get("server-jar")));
    }
    return options.withSnapshotEvery(number(values, "snapshot-every", 0));
  }

  private static List<String> list(String text) {
    List<String> items = new ArrayList<>();
    for (String item : text.split(",")) {
      if (!item.isBlank()) {
        items.add(item.strip());
      }
    }
    return items;
  }

  private static long number(Map<String, String> values, String name, long fallback) {
    String text = values.get(name);
    if (text == null) {
      return fallback;
    }
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + ": not a number: " + text);
    }
  }
}
