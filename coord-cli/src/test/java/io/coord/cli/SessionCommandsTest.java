package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coord.client.CoordClient;
import io.coord.client.kv.PutOptions;
import io.coord.testing.CoordTestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class SessionCommandsTest {
  private static CoordTestCluster cluster;
  private static List<String> endpoints;
  private static CoordClient client;

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitReady();
    endpoints = cluster.endpoints();
    client = cluster.newClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static Cli.Result coord(String... args) {
    return Cli.run(endpoints, args);
  }

  private static long grant(String ttl) {
    Cli.Result granted = coord("session", "grant", "-q", ttl);
    assertThat(granted.exitCode()).as(granted.err()).isZero();
    return Long.parseLong(granted.out().trim());
  }

  @Test
  void grantInfoListRevokeAndTheRecordOfTheEnd() {
    long id = grant("10");
    client.kv().put("cli/eph", "v", PutOptions.builder().session(id).build());

    Cli.Result info = coord("session", "info", Long.toString(id), "--keys");
    assertThat(info.exitCode()).isZero();
    assertThat(info.out()).contains("session " + id + ": live, TTL 10s, ", " left, 1 key,",
        "  cli/eph");

    Cli.Result ls = coord("session", "ls");
    assertThat(ls.out()).startsWith("ID").containsPattern("(?m)^" + id + "\\s+10s\\s+");

    Cli.Result revoke = coord("session", "revoke", Long.toString(id));
    assertThat(revoke.exitCode()).isZero();
    assertThat(revoke.out().trim()).isEqualTo("session " + id + " revoked, 1 key deleted");

    Cli.Result ended = coord("session", "info", Long.toString(id));
    assertThat(ended.exitCode()).isZero();
    assertThat(ended.out()).contains("session " + id + ": ended (REVOKED) at ", "1 key deleted");
    assertThat(coord("session", "ls", "--ended").out())
        .containsPattern("(?m)^" + id + "\\s+REVOKED\\s+\\d+\\s+1\\s+");

    Cli.Result again = coord("session", "revoke", Long.toString(id));
    assertThat(again.exitCode()).isEqualTo(1);
    assertThat(again.err()).startsWith("coord: session " + id + " not found: it ended (REVOKED)");
  }

  @Test
  void aRaisedTtlIsExplainedOnStderr() {
    Cli.Result granted = coord("session", "grant", "1");
    assertThat(granted.exitCode()).isZero();
    assertThat(granted.out()).matches("session \\d+ granted with TTL 4s\\s*");
    assertThat(granted.err()).contains("raised from 1 s to the minimum of 4 s");
  }

  @Test
  void anUnknownSessionFailsWithExitCodeOne() {
    Cli.Result info = coord("session", "info", "424242");
    assertThat(info.exitCode()).isEqualTo(1);
    assertThat(info.err()).startsWith("coord: session 424242 not found");
    assertThat(coord("session", "keepalive", "--once", "424242").exitCode()).isEqualTo(1);
  }

  @Test
  void badArgumentsAreUsageErrors() {
    assertThat(coord("session", "grant", "soon").exitCode()).isEqualTo(2);
    assertThat(coord("session", "revoke").exitCode()).isEqualTo(2);
  }

  @Test
  void keepaliveRunsInTheForegroundUntilTheSessionIsLost() throws Exception {
    long id = grant("6");
    Cli.Result once = coord("session", "keepalive", "--once", Long.toString(id));
    assertThat(once.exitCode()).isZero();
    assertThat(once.out().trim()).isEqualTo("session " + id + " kept alive, TTL 6s");

    StringWriter output = new StringWriter();
    PrintWriter out = new PrintWriter(output, true);
    CompletableFuture<Integer> foreground = CompletableFuture.supplyAsync(() ->
        Cli.run(endpoints, out, "session", "keepalive", Long.toString(id)));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> output.toString().contains("session " + id + " CONNECTED"));
    // It keeps the session alive past its TTL.
    long grantedAt = client.sessions().timeToLive(id, false).live().orElseThrow().grantedAt()
        .toEpochMilli();
    Awaitility.await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
        .until(() -> System.currentTimeMillis() > grantedAt + 8000);
    assertThat(client.sessions().timeToLive(id, false).isLive()).isTrue();

    client.sessions().revoke(id);
    assertThat(foreground.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    assertThat(output.toString()).contains("session " + id + " LOST",
        "session " + id + " lost: REVOKED");
  }

  @Test
  void tableOutput() {
    Cli.Result granted = coord("-o", "table", "session", "grant", "10");
    assertThat(granted.exitCode()).as(granted.err()).isZero();
    assertThat(granted.out().lines().toList().get(1)).matches("\\| ID +\\| TTL +\\|");
    String row = granted.out().lines().toList().get(3);
    assertThat(row).matches("\\| \\d+ +\\| 10s +\\|");
    String id = row.replaceAll("\\| (\\d+) .*", "$1");
    client.kv().put("cli/table/eph", "v", PutOptions.builder().session(Long.parseLong(id)).build());

    Cli.Result info = coord("-o", "table", "session", "info", "--keys", id);
    assertThat(info.exitCode()).isZero();
    List<String> lines = info.out().lines().toList();
    assertThat(lines.get(1)).matches("\\| ID +\\| STATE +\\| TTL +\\| REMAINING +\\| KEYS +"
        + "\\| GRANTED REVISION +\\| GRANTED +\\|");
    assertThat(lines.get(3)).matches("\\| " + id + " +\\| live +\\| 10s +\\| [0-9.]+s +\\| 1 +\\|"
        + " \\d+ +\\| \\S+ +\\|");
    assertThat(lines).contains("| cli/table/eph |");

    Cli.Result ls = coord("-o", "table", "session", "ls");
    assertThat(ls.out().lines().toList().get(1))
        .matches("\\| ID +\\| TTL +\\| REMAINING +\\| KEYS +\\| GRANTED +\\|");
    assertThat(ls.out()).containsPattern("(?m)^\\| " + id + " +\\| 10s +\\|");

    Cli.Result revoke = coord("-o", "table", "session", "revoke", id);
    assertThat(revoke.out().lines().toList().get(1)).matches("\\| ID +\\| KEYS DELETED \\|");
    assertThat(revoke.out().lines().toList().get(3)).matches("\\| " + id + " +\\| 1 +\\|");

    Cli.Result ended = coord("-o", "table", "session", "ls", "--ended");
    assertThat(ended.out()).containsPattern("(?m)^\\| " + id + " +\\| REVOKED +\\| \\d+ +\\| 1 ");
  }

  @Test
  void keepaliveInTheForegroundPrintsJsonLines() throws Exception {
    long id = grant("6");
    StringWriter output = new StringWriter();
    PrintWriter out = new PrintWriter(output, true);
    CompletableFuture<Integer> foreground = CompletableFuture.supplyAsync(() ->
        Cli.run(endpoints, out, "-o", "json", "session", "keepalive", Long.toString(id)));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> output.toString().contains("\"state\":\"CONNECTED\""));

    client.sessions().revoke(id);
    assertThat(foreground.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> events = new ArrayList<>();
    for (String line : output.toString().lines().toList()) {
      events.add(mapper.readTree(line));
    }
    JsonNode first = events.get(0);
    assertThat(JsonDoc.fields(first)).containsExactly("id", "state", "ttl", "at", "loss");
    assertThat(first.get("id").asLong()).isEqualTo(id);
    assertThat(first.get("state").asText()).isEqualTo("CONNECTED");
    assertThat(first.get("ttl").asLong()).isEqualTo(6);
    assertThat(Instant.parse(first.get("at").asText())).isNotNull();
    assertThat(first.get("loss").isNull()).isTrue();
    JsonNode last = events.get(events.size() - 1);
    assertThat(last.get("state").asText()).isEqualTo("LOST");
    assertThat(last.get("ttl").asLong()).isZero();
    assertThat(JsonDoc.fields(last.get("loss"))).containsExactly("reason", "message");
    assertThat(last.get("loss").get("reason").asText()).isEqualTo("REVOKED");
    assertThat(events.subList(0, events.size() - 1))
        .noneMatch(e -> e.get("state").asText().equals("LOST"));
  }
}
