package io.coord.bench;

import io.coord.bench.driver.Driver;
import io.coord.bench.harness.ProcStat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord bench run}: a matrix of workloads × concurrencies against one system. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = {"Runs workloads against a running cluster of one system, closed loop with N "
        + "in flight, and prints one JSON row per point (also appended to --out).",
        "Progress goes to standard error."})
final class RunCommand implements Callable<Integer> {
  static final String ALL_WORKLOADS = "put,get,sget,txn,lock,lock-contended,session,watch";

  @Option(names = "--system", defaultValue = "coord",
      description = "coord, etcd or zookeeper (default: ${DEFAULT-VALUE})")
  String system;

  @Option(names = "--endpoints", description = "host:port,... of the members (default: "
      + "$COORD_ENDPOINTS, else the local scripts/cluster ports 7701-7703)")
  String endpoints;

  @Option(names = {"-w", "--workloads"}, defaultValue = ALL_WORKLOADS,
      description = "comma-separated (default: ${DEFAULT-VALUE})")
  String workloads;

  @Option(names = {"-c", "--concurrency"},
      description = "operations in flight, comma-separated (default 1,16,128; quick 1,16)")
  String concurrency;

  @Option(names = "--jvm-warmup", converter = Durations.class,
      description = "warm-up of the client JVM and the servers before the first point "
          + "(default 120s: Coord's members compile for ~100s under load; quick 5s)")
  Duration jvmWarmup;

  @Option(names = "--warmup", converter = Durations.class,
      description = "discarded warm-up of each point (default 3s; quick 1s)")
  Duration warmup;

  @Option(names = {"-d", "--duration"}, converter = Durations.class,
      description = "measured window of each point (default 10s; quick 3s)")
  Duration duration;

  @Option(names = "--max-ops", defaultValue = "5000000",
      description = "most operations issued per point (default: ${DEFAULT-VALUE})")
  long maxOps;

  @Option(names = "--drain-timeout", converter = Durations.class, defaultValue = "20s",
      description = "longest wait for in-flight operations after a window")
  Duration drainTimeout;

  @Option(names = "--value-size", defaultValue = "256", description = "bytes per value")
  int valueSize;

  @Option(names = "--read-keys", defaultValue = "1000",
      description = "keys written up front and read by get/sget")
  int readKeys;

  @Option(names = "--watch-writers", defaultValue = "4",
      description = "puts in flight during the watch workload")
  int watchWriters;

  @Option(names = "--gate-busy", defaultValue = "30",
      description = "before each point wait until the machine is below this busy level, "
          + "in %% of one core, for 2 s (default: ${DEFAULT-VALUE}; negative: no gate)")
  double gateBusy;

  @Option(names = "--gate-max-wait", converter = Durations.class,
      description = "longest idle-gate wait per point (default 60s; quick 5s)")
  Duration gateMaxWait;

  @Option(names = "--server-pid", split = ",",
      description = "PIDs of the servers, for the CPU split")
  List<Long> serverPids = new ArrayList<>();

  @Option(names = "--server-pid-dir",
      description = "directories whose *.pid files name the servers (read before each point)")
  List<Path> serverPidDirs = new ArrayList<>();

  @Option(names = "--out", description = "append the JSON rows to this file too")
  Path out;

  @Option(names = "--run-id", description = "namespace of this run's keys (default: random)")
  String runId;

  @Option(names = "--quick", description = "short smoke run: 5s JVM warm-up, 1s + 3s per "
      + "point, concurrency 1,16")
  boolean quick;

  @Override
  public Integer call() throws Exception {
    RunSettings settings = settings();
    List<String> eps = endpoints(endpoints, system);
    List<ResultRow> rows = new ArrayList<>();
    try (Driver driver = Drivers.open(system, eps);
         PrintWriter file = out == null ? null : new PrintWriter(Files.newBufferedWriter(out,
             StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
      System.err.printf("%s: %s against %s, concurrency %s, windows %ss after %ss warm-up%n",
          system, settings.workloads(), eps, settings.concurrencies(),
          settings.window().toSeconds(), settings.pointWarmup().toSeconds());
      new BenchRunner(driver, settings, new ServerPids(serverPids, serverPidDirs), System.err,
          ProcStat.system()).run(row -> {
            rows.add(row);
            String line = Json.line(row);
            System.out.println(line);
            System.out.flush();
            if (file != null) {
              file.println(line);
              file.flush();
            }
          });
    }
    return rows.stream().anyMatch(r -> "failed".equals(r.status())) ? 1 : 0;
  }

  RunSettings settings() {
    List<Workload> parsed = Arrays.stream(workloads.split(",")).filter(s -> !s.isBlank())
        .map(Workload::parse).toList();
    String conc = concurrency != null ? concurrency : quick ? "1,16" : "1,16,128";
    List<Integer> concurrencies = Arrays.stream(conc.split(",")).map(String::trim)
        .map(Integer::parseInt).toList();
    return new RunSettings(parsed, concurrencies,
        or(jvmWarmup, quick ? "5s" : "120s"), or(warmup, quick ? "1s" : "3s"),
        or(duration, quick ? "3s" : "10s"), maxOps, drainTimeout, valueSize, readKeys,
        watchWriters, gateBusy, or(gateMaxWait, quick ? "5s" : "60s"),
        runId != null ? runId : UUID.randomUUID().toString().substring(0, 8));
  }

  private static Duration or(Duration given, String fallback) {
    return given != null ? given : Durations.parse(fallback);
  }

  static List<String> endpoints(String given, String system) throws IOException {
    String list = given;
    if (list == null && "coord".equals(system)) {
      list = System.getenv("COORD_ENDPOINTS");
    }
    if (list == null) {
      list = switch (system) {
        case "etcd" -> "127.0.0.1:23791,127.0.0.1:23792,127.0.0.1:23793";
        case "zookeeper", "zk" -> "127.0.0.1:21811,127.0.0.1:21812,127.0.0.1:21813";
        default -> "127.0.0.1:7701,127.0.0.1:7702,127.0.0.1:7703";
      };
    }
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
