package io.coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coord.bench.harness.CpuSample;
import io.coord.bench.harness.IdleGate;
import io.coord.bench.harness.LoopResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {
  static ResultRow sampleRow() {
    Histogram h = new Histogram(60_000_000L, 3);
    for (int i = 0; i < 100; i++) {
      h.recordValue(1500); // 1.5 ms
    }
    LoopResult result = new LoopResult(h, 2, Map.of("TimeoutException", 2L), 10.0, 0, "time");
    return ResultRow.measured("coord", Workload.PUT, 16, result, 3.0,
        new CpuSample(120.5, 30.0, 180.0, 29.5, List.of(1L, 2L, 3L)),
        new IdleGate.Result(2.0, false, 4.5), null, Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void aRowIsOneLineWithTheAgreedSnakeCaseFields() throws Exception {
    String line = Json.line(sampleRow());
    JsonNode node = new ObjectMapper().readTree(line);

    assertThat(line).doesNotContain("\n");
    assertThat(node.get("system").asText()).isEqualTo("coord");
    assertThat(node.get("workload").asText()).isEqualTo("put");
    assertThat(node.get("concurrency").asInt()).isEqualTo(16);
    assertThat(node.get("status").asText()).isEqualTo("ok");
    assertThat(node.get("ops").asLong()).isEqualTo(100);
    assertThat(node.get("ops_per_sec").asDouble()).isEqualTo(10.0);
    assertThat(node.get("p50_ms").asDouble()).isEqualTo(1.5);
    assertThat(node.get("p99_ms").asDouble()).isEqualTo(1.5);
    assertThat(node.get("errors").asLong()).isEqualTo(2);
    assertThat(node.get("error_kinds").get("TimeoutException").asLong()).isEqualTo(2);
    assertThat(node.get("cpu").get("servers_pct").asDouble()).isEqualTo(120.5);
    assertThat(node.get("cpu").get("client_pct").asDouble()).isEqualTo(30.0);
    assertThat(node.get("cpu").get("machine_pct").asDouble()).isEqualTo(180.0);
    assertThat(node.get("gate").get("timed_out").asBoolean()).isFalse();
  }

  @Test
  void rowsRoundTripThroughLinesAndLists(@TempDir Path dir) throws Exception {
    ResultRow row = sampleRow();
    ResultRow unsupported = ResultRow.withoutNumbers("coord", "lock", 1, "unsupported",
        "lock is not supported by this build of coord");
    Path lines = dir.resolve("rows.jsonl");
    Files.writeString(lines, Json.line(row) + "\n\n" + Json.line(unsupported) + "\n");

    List<ResultRow> read = Json.read(lines);
    assertThat(read).containsExactly(row, unsupported);

    Path list = dir.resolve("results.json");
    Json.writeList(list, read);
    assertThat(new ObjectMapper().readTree(list.toFile()).isArray()).isTrue();
    assertThat(Json.read(list)).containsExactly(row, unsupported);
  }
}
