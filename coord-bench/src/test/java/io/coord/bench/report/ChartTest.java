package io.coord.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.bench.ResultRow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartTest {
  @Test
  void writesAPng(@TempDir Path dir) throws Exception {
    List<ResultRow> rows = List.of(
        new ResultRow("coord", "put", 1, "ok", 10, 0, Map.of(), 900, 1, 1, 2, 2, 2, 1, 1, 1, 0,
            null, null, null, "2026-01-01T00:00:00Z"),
        new ResultRow("etcd", "put", 1, "ok", 10, 0, Map.of(), 500, 1, 1, 8, 8, 8, 1, 1, 1, 0,
            null, null, null, "2026-01-01T00:00:00Z"),
        ResultRow.withoutNumbers("coord", "lock", 1, "unsupported", "n/a"));
    Path png = dir.resolve("chart.png");

    Chart.write(rows, png);

    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes.length).isGreaterThan(1000);
    assertThat(new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII))
        .isEqualTo("PNG");
  }
}
