package io.coord.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.bench.ResultRow;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableTest {
  private static ResultRow row(String system, String workload, int c, double ops) {
    return new ResultRow(system, workload, c, "ok", (long) ops * 10, 0, Map.of(), ops, 1.25,
        2, 9.5, 12, 15, 1.3, 3, 10, 0, null, null, null, "2026-01-01T00:00:00Z");
  }

  @Test
  void coordComesFirstAndRatiosDivideItsThroughputByEachPeers() {
    String table = Table.render(List.of(
        row("etcd", "put", 1, 500), row("zookeeper", "put", 1, 650),
        row("coord", "put", 1, 1000),
        ResultRow.withoutNumbers("coord", "lock", 1, "unsupported", "not in this build"),
        row("etcd", "lock", 1, 200)));
    String[] lines = table.split("\n");

    assertThat(lines[0]).startsWith("workload").contains("coord ops/s", "etcd ops/s",
        "zookeeper ops/s", "coord/etcd", "coord/zookeeper");
    assertThat(lines[0].indexOf("coord ops/s")).isLessThan(lines[0].indexOf("etcd ops/s"));
    assertThat(lines[1]).startsWith("put").contains("1,000", "1.25/9.50", "2.00x", "1.54x");
    assertThat(lines[2]).startsWith("lock").contains("unsupported", "200").doesNotContain("x ");
  }

  @Test
  void flaggedPointsGetAFootnote() {
    ResultRow noisy = new ResultRow("coord", "get", 16, "ok", 10, 3, Map.of("X", 3L), 100, 1, 1,
        1, 1, 1, 1, 1, 1, 0, null, null, null, "2026-01-01T00:00:00Z");

    assertThat(Table.render(List.of(noisy))).contains("100*").contains("* errors");
  }
}
