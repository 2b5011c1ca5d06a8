package io.coord.bench;

import io.coord.bench.driver.Driver;
import io.coord.bench.harness.ClosedLoop;
import io.coord.bench.harness.CpuMeter;
import io.coord.bench.harness.CpuSample;
import io.coord.bench.harness.IdleGate;
import io.coord.bench.harness.LoopResult;
import io.coord.bench.harness.Operation;
import io.coord.bench.harness.ProcStat;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Runs a matrix of workloads × concurrencies against one driver: one JVM warm-up, then per
 * point an idle gate, a warm-up, the measured window with CPU sampling, and one result row.
 * System-agnostic: everything system-specific is behind {@link Driver}.
 */
public final class BenchRunner {
  private final Driver driver;
  private final RunSettings settings;
  private final ServerPids serverPids;
  private final ServerRefusals refusals;
  private final PrintStream progress;
  private final ProcStat proc;
  private final byte[] value;
  private boolean readKeysLoaded;

  public BenchRunner(Driver driver, RunSettings settings, ServerPids serverPids,
      PrintStream progress, ProcStat proc) {
    this.driver = driver;
    this.settings = settings;
    this.serverPids = serverPids;
    this.refusals = new ServerRefusals(serverPids.dirs());
    this.progress = progress;
    this.proc = proc;
    this.value = new byte[settings.valueSize()];
    ThreadLocalRandom.current().nextBytes(value);
  }

  /** Runs every point, handing each row to {@code sink} as soon as it exists. */
  public void run(Consumer<ResultRow> sink) throws InterruptedException {
    List<Workload> runnable = settings.workloads().stream()
        .filter(w -> driver.supported().contains(w)).toList();
    warmUpJvm(runnable);
    for (Workload workload : settings.workloads()) {
      for (int concurrency : settings.concurrencies()) {
        sink.accept(point(workload, concurrency));
      }
    }
  }

  private void warmUpJvm(List<Workload> runnable) throws InterruptedException {
    if (runnable.isEmpty() || settings.jvmWarmup().isZero()) {
      return;
    }
    Duration each = settings.jvmWarmup().dividedBy(runnable.size());
    int concurrency = Math.min(16, settings.concurrencies().stream().mapToInt(i -> i).max()
        .orElse(16));
    progress.printf("%s: warming up the JVM and the servers for %ds (%s at %d in flight)%n",
        driver.system(), settings.jvmWarmup().toSeconds(), runnable, concurrency);
    for (Workload workload : runnable) {
      try {
        measure(workload, concurrency, Duration.ZERO, each, "warm");
      } catch (Exception e) {
        progress.printf("%s: warm-up of %s failed: %s%n", driver.system(), workload, e);
      }
    }
  }

  /** One point; never throws for a failing system, the row says what happened. */
  ResultRow point(Workload workload, int concurrency) throws InterruptedException {
    if (!driver.supported().contains(workload)) {
      return ResultRow.withoutNumbers(driver.system(), workload.cliName(), concurrency,
          "unsupported", workload + " is not supported by this build of " + driver.system());
    }
    String label = driver.system() + " " + workload + " c=" + concurrency;
    IdleGate.Result gate = settings.gateBusyPct() < 0 ? null
        : new IdleGate(proc, settings.gateBusyPct(), 2, settings.gateMaxWait(), progress)
            .await();
    if (gate != null && gate.timedOut()) {
      progress.printf("%s: the machine stayed above %.0f%% busy for %ds; measuring anyway "
          + "(recorded in the row)%n", label, settings.gateBusyPct(),
          settings.gateMaxWait().toSeconds());
    }
    try {
      Measured m = measure(workload, concurrency, settings.pointWarmup(), settings.window(),
          "c" + concurrency);
      ResultRow row = ResultRow.measured(driver.system(), workload, concurrency, m.result,
          settings.pointWarmup().toMillis() / 1e3, m.cpu, gate, m.note, m.startedAt);
      progress.printf("%s: %,.0f ops/s, p50 %.2f ms, p99 %.2f ms, errors %d, CPU servers "
          + "%.0f%% client %.0f%% machine %.0f%%%s%n", label, row.opsPerSec(), row.p50Ms(),
          row.p99Ms(), row.errors(), m.cpu.serversPct(), m.cpu.clientPct(),
          m.cpu.machinePct(), m.refused.isEmpty() ? "" : "; " + refusedText(m.refused));
      return row;
    } catch (Exception e) {
      progress.printf("%s: failed: %s%n", label, e);
      return ResultRow.withoutNumbers(driver.system(), workload.cliName(), concurrency,
          "failed", String.valueOf(e));
    }
  }

  private record Measured(LoopResult result, CpuSample cpu, String note, Instant startedAt,
      Map<String, Long> refused) {}

  private static String refusedText(Map<String, Long> refused) {
    return "not OK at the members: " + refused.entrySet().stream()
        .map(e -> String.format("%s %,d", e.getKey(), e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private Measured measure(Workload workload, int concurrency, Duration warmup,
      Duration window, String tag) throws Exception {
    String ns = "bench/" + settings.runId() + "/" + workload.cliName() + "/" + tag;
    ClosedLoop.Settings loopSettings = new ClosedLoop.Settings(
        workload == Workload.WATCH ? settings.watchWriters() : concurrency, warmup, window,
        settings.maxOps(), settings.drainTimeout(), Duration.ofSeconds(5));
    ClosedLoop loop = new ClosedLoop(loopSettings,
        driver.system() + " " + workload + " c=" + concurrency, progress);
    Operation operation;
    String note = null;
    AutoCloseable resources = () -> { };
    switch (workload) {
      case PUT -> {
        driver.prepare(ns);
        operation = (slot, seq) -> driver.put(ns + "/" + seq, value);
      }
      case GET, SGET -> {
        loadReadKeys();
        boolean linearizable = workload == Workload.GET;
        String data = "bench/" + settings.runId() + "/data/";
        int keys = settings.readKeys();
        operation = (slot, seq) -> driver.get(data + ThreadLocalRandom.current().nextInt(keys),
            linearizable);
      }
      case TXN -> {
        driver.prepare(ns);
        operation = (slot, seq) -> driver.compareAndPut(ns + "/" + slot, value)
            .thenApply(ok -> {
              if (!ok) {
                throw new IllegalStateException("compare failed");
              }
              return ok;
            });
      }
      case LOCK -> {
        driver.prepare(ns);
        operation = (slot, seq) -> driver.lockUnlock(ns + "/" + slot, slot);
      }
      case LOCK_CONTENDED -> {
        driver.prepare(ns);
        operation = (slot, seq) -> driver.lockUnlock(ns + "/shared", slot);
      }
      case SESSION -> operation = (slot, seq) -> driver.session(slot);
      case WATCH -> {
        driver.prepare(ns);
        WatchWorkload watch = new WatchWorkload(driver, ns, value, settings.maxOps());
        resources = watch.start(concurrency, loop);
        operation = watch;
        note = concurrency + " watchers, " + settings.watchWriters()
            + " puts in flight; ops = events delivered, latency = put issued -> event";
      }
      default -> throw new IllegalStateException("no operation for " + workload);
    }
    try {
      CpuMeter cpu = new CpuMeter(proc, ProcessHandle.current().pid());
      List<Long> pids = serverPids.current();
      CpuSample[] sample = new CpuSample[1];
      List<Map<String, Long>> refusedAt = new java.util.concurrent.CopyOnWriteArrayList<>();
      loop.windowHooks(() -> {
        refusedAt.add(refusals.snapshot());
        cpu.start(pids);
      }, () -> {
        sample[0] = cpu.stop();
        refusedAt.add(refusals.snapshot());
      });
      Instant startedAt = Instant.now();
      LoopResult result = loop.run(operation);
      Map<String, Long> refused = refusedAt.size() == 2
          ? ServerRefusals.since(refusedAt.get(0), refusedAt.get(1)) : Map.of();
      if (!refused.isEmpty()) {
        note = (note == null ? "" : note + "; ") + refusedText(refused);
      }
      return new Measured(result, sample[0], note, startedAt, refused);
    } finally {
      resources.close();
    }
  }

  /** Writes the keys the read workloads read, once per run, 64 writes in flight. */
  private void loadReadKeys() throws Exception {
    if (readKeysLoaded) {
      return;
    }
    String data = "bench/" + settings.runId() + "/data";
    driver.prepare(data);
    progress.printf("%s: writing %d keys for the read workloads%n", driver.system(),
        settings.readKeys());
    Semaphore inFlight = new Semaphore(64);
    List<CompletableFuture<?>> writes = new ArrayList<>();
    for (int i = 0; i < settings.readKeys(); i++) {
      if (!inFlight.tryAcquire(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("preloading read keys stalled");
      }
      CompletableFuture<?> write = driver.put(data + "/" + i, value);
      write.whenComplete((r, e) -> inFlight.release());
      writes.add(write);
    }
    CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    readKeysLoaded = true;
  }
}
