package io.coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.bench.driver.CoordDriver;
import io.coord.bench.harness.ProcStat;
import io.coord.testing.CoordTestCluster;
import java.io.PrintStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Coord driver against a real in-JVM cluster: short points produce sane rows. */
@Timeout(180)
class CoordDriverIT {

  @Test
  void everyClosedLoopWorkloadProducesRows() throws Exception {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      // Ready: a leader that published its address and confirmed its term, so the first
      // point's window measures writes, not the cluster's start.
      cluster.awaitReady();
      RunSettings settings = new RunSettings(
          List.of(Workload.PUT, Workload.GET, Workload.SGET, Workload.TXN, Workload.LOCK,
              Workload.LOCK_CONTENDED, Workload.SESSION),
          List.of(1, 4), Duration.ZERO, Duration.ofMillis(300), Duration.ofSeconds(1), 100_000,
          Duration.ofSeconds(20), 256, 50, 1, -1, Duration.ZERO, "it");
      List<ResultRow> rows = new ArrayList<>();
      try (CoordDriver driver = new CoordDriver(cluster.endpoints(), Duration.ofSeconds(30))) {
        new BenchRunner(driver, settings, new ServerPids(List.of(), List.of()),
            new PrintStream(OutputStream.nullOutputStream()), ProcStat.system()).run(rows::add);
      }

      assertThat(rows).hasSize(14);
      for (ResultRow row : rows) {
        assertThat(row.status()).as(row.toString()).isEqualTo("ok");
        assertThat(row.ops()).as(row.toString()).isPositive();
        assertThat(row.errors()).as(row.toString()).isZero();
        assertThat(row.abandoned()).isZero();
        assertThat(row.p50Ms()).isPositive().isLessThanOrEqualTo(row.p99Ms());
        assertThat(row.p99Ms()).isLessThanOrEqualTo(row.maxMs());
        assertThat(row.opsPerSec()).isPositive();
        assertThat(row.cpu()).isNotNull();
        assertThat(row.cpu().clientPct()).isGreaterThanOrEqualTo(0);
        assertThat(row.gate()).isNull();
      }
      assertThat(rows).extracting(ResultRow::workload)
          .containsExactly("put", "put", "get", "get", "sget", "sget", "txn", "txn", "lock",
              "lock", "lock-contended", "lock-contended", "session", "session");
      // Every counted compare-and-put really wrote: the key's version counts them (and the
      // warm-up's).
      try (var client = cluster.newClient()) {
        var txnKey = client.kv().get("bench/it/txn/c1/0").first().orElseThrow();
        assertThat(txnKey.version()).isGreaterThanOrEqualTo(rows.get(6).ops());
        // Every lock was released: nothing is held or waited for once the points are over.
        assertThat(client.locks().list("bench/")).isEmpty();
      }
    }
  }
}
