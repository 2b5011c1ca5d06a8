package io.coord.bench;

import io.coord.bench.driver.Driver;
import io.coord.bench.failover.CoordCluster;
import io.coord.bench.failover.EtcdCluster;
import io.coord.bench.failover.ManagedCluster;
import io.coord.bench.failover.ZooKeeperCluster;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code coord bench failover}: starts a 3-member cluster of one system itself, keeps one write
 * in flight, SIGKILLs the current leader again and again and measures the time from the kill
 * to the next acknowledged write (one issued after the kill), restarting the killed member and
 * waiting for a healthy cluster between rounds.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
    description = "Repeated leader SIGKILL of a 3-member cluster the tool starts (temp data, "
        + "free ports); prints one JSON row with p50/p99/max of kill -> next acknowledged "
        + "write.")
final class FailoverCommand implements Callable<Integer> {
  @Option(names = "--system", defaultValue = "coord",
      description = "coord (via scripts/cluster), etcd or zookeeper (Debian packages)")
  String system;

  @Option(names = "--iterations", description = "leader kills (default 10; quick 3)")
  Integer iterations;

  @Option(names = "--coord-root", description = "repository with scripts/cluster and built "
      + "jars (default: the one holding this jar)")
  Path coordRoot;

  @Option(names = "--port-base", defaultValue = "0",
      description = "COORD_PORT_BASE of a Coord cluster (default: a free range from 17700)")
  int portBase;

  @Option(names = "--settle", converter = Durations.class, defaultValue = "3s",
      description = "pause with a healthy cluster before each kill")
  Duration settle;

  @Option(names = "--recovery-timeout", converter = Durations.class, defaultValue = "30s",
      description = "longest wait for the next acknowledged write after a kill")
  Duration recoveryTimeout;

  @Option(names = "--write-timeout", converter = Durations.class, defaultValue = "500ms",
      description = "a write not acknowledged within this is abandoned (counted) and the next "
          + "one issued, as by a client with this deadline (default: ${DEFAULT-VALUE})")
  Duration writeTimeout;

  @Option(names = "--out", description = "append the JSON row to this file too")
  Path out;

  @Option(names = "--quick", description = "3 iterations")
  boolean quick;

  @Option(names = "--jvm-warmup", converter = Durations.class,
      description = "writes at " + WARMUP_IN_FLIGHT + " in flight before the first kill, to "
          + "warm the members' and the writer's JVMs (default 30s: a fresh cluster writes 10x "
          + "slower; quick 5s)")
  Duration jvmWarmup;

  @Option(names = "--keep-logs", description = "keep a Coord cluster's data directory and member "
      + "logs (their times line up with each round's kill time)")
  boolean keepLogs;

  private static final int WARMUP_IN_FLIGHT = 16;
  private static final int VALUE_BYTES = 256;

  private final AtomicLong killedAt = new AtomicLong();
  private final AtomicReference<CountDownLatch> recovered = new AtomicReference<>();
  private final AtomicLong recoveryNanos = new AtomicLong();
  /** Of the round in progress: how the write in flight at the kill ended, and when. */
  private final AtomicReference<String> inFlightAtKill = new AtomicReference<>();
  private final AtomicLong measuredIssuedNanos = new AtomicLong();
  private final AtomicLong writes = new AtomicLong();
  private final AtomicLong writeErrors = new AtomicLong();
  private final Map<String, Long> errorKinds = new TreeMap<>();
  private volatile boolean writing = true;

  @Override
  public Integer call() throws Exception {
    int rounds = iterations != null ? iterations : quick ? 3 : 10;
    Histogram recoveries = new Histogram(60_000_000L, 3);
    long timeouts = 0;
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    long writerStart = start;
    Duration warmupFor = jvmWarmup != null ? jvmWarmup
        : quick ? Duration.ofSeconds(5) : Duration.ofSeconds(30);
    System.err.printf("failover: starting a 3-member %s cluster%n", system);
    try (ManagedCluster cluster = startCluster();
         Driver driver = writerDriver(cluster)) {
      // Stopped by a signal: the members this command started go too.
      Thread stopOnSignal = new Thread(cluster::close, "failover-cleanup");
      Runtime.getRuntime().addShutdownHook(stopOnSignal);
      String prefix = "bench/failover-" + UUID.randomUUID().toString().substring(0, 8);
      driver.prepare(prefix);
      warmUp(driver, prefix + "/warmup-", warmupFor);
      writerStart = System.nanoTime();
      Thread writer = new Thread(() -> writeLoop(driver, prefix + "/"), "failover-writer");
      writer.setDaemon(true);
      writer.start();
      try {
        for (int round = 1; round <= rounds; round++) {
          Thread.sleep(settle.toMillis());
          String leader = cluster.awaitLeader(60_000);
          long pid = cluster.pid(leader);
          CountDownLatch latch = new CountDownLatch(1);
          recovered.set(latch);
          inFlightAtKill.set(null);
          ProcessHandle process = ProcessHandle.of(pid).orElseThrow(
              () -> new IllegalStateException("leader " + leader + " (pid " + pid + ") is gone"));
          killedAt.set(System.nanoTime());
          LocalTime killTime = LocalTime.now();
          process.destroyForcibly(); // SIGKILL
          if (latch.await(recoveryTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            long micros = recoveryNanos.get() / 1_000;
            recoveries.recordValue(Math.min(micros, 60_000_000L));
            String inFlight = inFlightAtKill.get();
            System.err.printf("failover: %s round %d/%d: killed leader %s (pid %d) at %s; next "
                + "write acknowledged after %.1f ms (issued at +%.1f ms; %s)%n", system, round,
                rounds, leader, pid, killTime, micros / 1e3,
                (measuredIssuedNanos.get() - killedAt.get()) / 1e6,
                inFlight == null ? "no write was in flight at the kill" : inFlight);
          } else {
            timeouts++;
            System.err.printf("failover: %s round %d/%d: no write acknowledged within %s of "
                + "killing %s%n", system, round, rounds, recoveryTimeout, leader);
          }
          killedAt.set(0);
          process.onExit().get(10, TimeUnit.SECONDS);
          cluster.restart(leader);
        }
      } finally {
        writing = false;
        writer.join(35_000);
        Runtime.getRuntime().removeShutdownHook(stopOnSignal);
      }
    }
    long end = System.nanoTime();
    double seconds = (end - start) / 1e9;
    double writerSeconds = (end - writerStart) / 1e9;
    Map<String, Long> kinds;
    synchronized (errorKinds) {
      kinds = new TreeMap<>(errorKinds);
    }
    if (timeouts > 0) {
      kinds.put("no acknowledged write within " + recoveryTimeout.toSeconds() + " s", timeouts);
    }
    ResultRow row = row(recoveries, rounds, timeouts, kinds, seconds, writerSeconds,
        warmupFor, startedAt);
    String line = Json.line(row);
    System.out.println(line);
    if (out != null) {
      try (PrintWriter file = new PrintWriter(Files.newBufferedWriter(out,
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
        file.println(line);
      }
    }
    return row.ok() ? 0 : 1;
  }

  private ManagedCluster startCluster() throws Exception {
    return switch (system) {
      case "coord" -> CoordCluster.start(CoordCluster.findRoot(coordRoot), 3, portBase,
          keepLogs);
      case "etcd" -> EtcdCluster.start();
      case "zookeeper", "zk" -> ZooKeeperCluster.start();
      default -> throw new IllegalArgumentException("unknown system '" + system + "'");
    };
  }

  /** The writer's client: over every member, so it can fail over like any user's. */
  private static Driver writerDriver(ManagedCluster cluster) throws Exception {
    List<String> endpoints = cluster.endpoints();
    return cluster.system().equals("zookeeper")
        // One session with the whole ensemble in its connect string.
        ? Drivers.open("zookeeper", List.of(String.join(",", endpoints)))
        : Drivers.open(cluster.system(), endpoints);
  }

  private ResultRow row(Histogram recoveries, int rounds, long timeouts,
      Map<String, Long> kinds, double seconds, double writerSeconds, Duration warmup,
      Instant startedAt) {
    long n = recoveries.getTotalCount();
    return new ResultRow(system.equals("zk") ? "zookeeper" : system, "failover", 1,
        n > 0 ? "ok" : "failed", n, writeErrors.get() + timeouts, kinds,
        ResultRow.round(writes.get() / writerSeconds, 1), ms(recoveries, 50),
        ms(recoveries, 90),
        ms(recoveries, 99), ms(recoveries, 99.9), n == 0 ? 0 : recoveries.getMaxValue() / 1e3,
        n == 0 ? 0 : ResultRow.round(recoveries.getMean() / 1e3, 3), warmup.toMillis() / 1e3,
        ResultRow.round(seconds, 1), 0, null, null,
        rounds + " leader SIGKILLs; latencies = kill -> next acknowledged write issued after "
            + "the kill (writes abandoned after " + writeTimeout.toMillis() + " ms); ops = "
            + "recoveries measured; ops_per_sec = the 1-in-flight writer's rate after the "
            + "warm-up",
        startedAt.toString());
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0
        : ResultRow.round(h.getValueAtPercentile(percentile) / 1e3, 3);
  }

  /**
   * Writes with {@link #WARMUP_IN_FLIGHT} in flight for {@code duration} (bounded in count
   * too), so that the first kills do not measure JVMs that are still compiling.
   */
  private static void warmUp(Driver driver, String prefix, Duration duration)
      throws InterruptedException {
    if (duration.isZero() || duration.isNegative()) {
      return;
    }
    System.err.printf("failover: warming up for %s (writes at %d in flight)%n", duration,
        WARMUP_IN_FLIGHT);
    long end = System.nanoTime() + duration.toNanos();
    AtomicLong next = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    byte[] value = new byte[VALUE_BYTES];
    CountDownLatch slots = new CountDownLatch(WARMUP_IN_FLIGHT);
    for (int slot = 0; slot < WARMUP_IN_FLIGHT; slot++) {
      warmUpSlot(driver, prefix, value, end, next, failed, slots);
    }
    slots.await();
    System.err.printf("failover: warm-up wrote %d keys (%d failed)%n", next.get(),
        failed.get());
  }

  private static void warmUpSlot(Driver driver, String prefix, byte[] value, long end,
      AtomicLong next, AtomicLong failed, CountDownLatch slots) {
    long seq = next.getAndIncrement();
    if (System.nanoTime() - end >= 0 || seq >= 5_000_000L) {
      slots.countDown();
      return;
    }
    driver.put(prefix + seq, value).orTimeout(5, TimeUnit.SECONDS).whenCompleteAsync((r, e) -> {
      if (e != null) {
        failed.incrementAndGet();
      }
      warmUpSlot(driver, prefix, value, end, next, failed, slots);
    });
  }

  private void writeLoop(Driver driver, String prefix) {
    byte[] value = new byte[VALUE_BYTES];
    long seq = 0;
    // Bounded by the rounds (writing goes false after them) and by a hard cap on writes.
    while (writing && seq < 50_000_000L) {
      long issued = System.nanoTime();
      try {
        driver.put(prefix + seq++, value).get(writeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        long acked = System.nanoTime();
        writes.incrementAndGet();
        long kill = killedAt.get();
        CountDownLatch latch = recovered.get();
        noteInFlightAtKill(issued, kill, "acknowledged");
        if (kill != 0 && issued >= kill && latch != null && latch.getCount() > 0) {
          recoveryNanos.set(acked - kill);
          measuredIssuedNanos.set(issued);
          latch.countDown();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        writeErrors.incrementAndGet();
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        noteInFlightAtKill(issued, killedAt.get(), "failed: " + cause.getClass().getSimpleName());
        synchronized (errorKinds) {
          errorKinds.merge(cause.getClass().getSimpleName(), 1L, Long::sum);
        }
      }
    }
  }

  /** Records how the write issued before the kill ended, if {@code issued} was that write. */
  private void noteInFlightAtKill(long issued, long kill, String outcome) {
    if (kill != 0 && issued < kill) {
      inFlightAtKill.set(String.format("the write in flight at the kill %s at +%.1f ms",
          outcome, (System.nanoTime() - kill) / 1e6));
    }
  }
}
