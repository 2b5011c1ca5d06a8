package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.kv.PutOptions;
import io.coord.testing.CoordTestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
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
    assertThat(granted.out()).matches("session \\d+ granted with TTL 6s\\s*");
    assertThat(granted.err()).contains("raised from 1 s to the minimum of 6 s");
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
}
