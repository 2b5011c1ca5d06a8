package io.coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ServerRefusalsTest {
  private static final String PAGE = """
      # HELP grpc_server_handled_total Calls answered, by status.
      # TYPE grpc_server_handled_total counter
      grpc_server_handled_total{grpc_code="OK",grpc_method="Put",grpc_service="coord.v1.KV",grpc_type="unary"} 32.0
      grpc_server_handled_total{grpc_code="UNAVAILABLE",grpc_method="KeepAlive",grpc_service="coord.v1.Session",grpc_type="bidi_stream"} 3.9978E4
      grpc_server_handled_total{grpc_code="DEADLINE_EXCEEDED",grpc_method="Put",grpc_service="coord.v1.KV",grpc_type="unary"} 2.0
      grpc_server_started_total{grpc_method="Put",grpc_service="coord.v1.KV",grpc_type="unary"} 34.0
      """;

  @Test
  void countsOnlyNonOkAnswersByCodeAndMethodAcrossMembers() {
    Map<String, Long> counts = new TreeMap<>();
    ServerRefusals.addRefusals(PAGE, counts);
    ServerRefusals.addRefusals(PAGE, counts);
    assertThat(counts).containsExactly(Map.entry("DEADLINE_EXCEEDED Put", 4L),
        Map.entry("UNAVAILABLE KeepAlive", 79_956L));
  }

  @Test
  void reportsWhatGrewDuringTheWindowOnly() {
    Map<String, Long> before = Map.of("UNAVAILABLE KeepAlive", 10L, "DEADLINE_EXCEEDED Put", 2L);
    Map<String, Long> after = Map.of("UNAVAILABLE KeepAlive", 25L, "DEADLINE_EXCEEDED Put", 2L,
        "UNAVAILABLE Put", 1L);
    assertThat(ServerRefusals.since(before, after)).containsExactly(
        Map.entry("UNAVAILABLE KeepAlive", 15L), Map.entry("UNAVAILABLE Put", 1L));
  }
}
