package io.coord.cli.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.testing.CoordTestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code coord kv watch} against a real single-member cluster. */
@Timeout(120)
class KvWatchCommandTest {
  private static CoordTestCluster cluster;
  private static CoordClient client;

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(1).build().start();
    cluster.awaitLeader();
    client = cluster.newClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  /** A CLI run: its exit code (when done) and what it printed. */
  private record Run(CompletableFuture<Integer> exit, StringWriter out, StringWriter err) {
    List<String> lines() {
      return out.toString().lines().toList();
    }
  }

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = io.coord.cli.CoordCli.newCommandLine(System.in);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    String[] all = new String[args.length + 2];
    all[0] = "--endpoints";
    all[1] = String.join(",", cluster.endpoints());
    System.arraycopy(args, 0, all, 2, args.length);
    return new Run(CompletableFuture.supplyAsync(() -> cli.execute(all)), out, err);
  }

  private static int exit(Run run) {
    return run.exit().orTimeout(60, java.util.concurrent.TimeUnit.SECONDS).join();
  }

  @Test
  void printsOneLinePerEventFromARevisionWithPreviousValues() {
    long first = client.kv().put("cli/a", "1").revision();
    client.kv().put("cli/a", "two words\nand a newline");
    client.kv().delete("cli/a");
    Run run = run("kv", "watch", "cli/", "--prefix", "--rev", Long.toString(first), "--prev-kv",
        "--max-events", "3");
    assertThat(exit(run)).isZero();
    assertThat(run.lines()).containsExactly(
        "PUT " + first + " cli/a=1",
        "PUT " + (first + 1) + " cli/a=two words\\nand a newline prev=1",
        "DELETE " + (first + 2) + " cli/a prev=two words\\nand a newline");
  }

  @Test
  void printsLiveEventsAsJsonLines() {
    Run run = run("kv", "watch", "live", "-o", "json", "--prev-kv", "--max-events", "2");
    await().atMost(Duration.ofSeconds(30))
        .until(() -> cluster.members().get(0).server().watches().stats().synced() >= 1);
    long put = client.kv().put("live", "v1").revision();
    long delete = client.kv().delete("live").header().revision();
    assertThat(exit(run)).isZero();
    assertThat(run.lines()).containsExactly(
        "{\"type\":\"PUT\",\"key\":\"live\",\"value\":\"v1\",\"mod_revision\":" + put
            + ",\"create_revision\":" + put + ",\"version\":1,\"prev_value\":null,"
            + "\"prev_mod_revision\":null}",
        "{\"type\":\"DELETE\",\"key\":\"live\",\"value\":null,\"mod_revision\":" + delete
            + ",\"prev_value\":\"v1\",\"prev_mod_revision\":" + put + "}");
  }

  @Test
  void execRunsACommandPerEventWithTheEventInItsEnvironment() throws Exception {
    long first = client.kv().put("ex/1", "a").revision();
    client.kv().put("ex/2", "b");
    Path log = dir.resolve("events.log");
    Run run = run("kv", "watch", "ex/", "--prefix", "--rev", Long.toString(first),
        "--max-events", "2", "--exec",
        "echo \"$COORD_WATCH_EVENT_TYPE $COORD_WATCH_REVISION $COORD_WATCH_KEY=$COORD_WATCH_VALUE"
            + " $(cat)\" >> " + log);
    assertThat(exit(run)).isZero();
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).startsWith("PUT " + first + " ex/1=a {\"type\":\"PUT\"");
    assertThat(lines.get(1)).startsWith("PUT " + (first + 1) + " ex/2=b {");
    assertThat(run.out().toString()).isEmpty();
  }

  @Test
  void aCompactedStartRevisionExitsWithWhereToResume() {
    client.kv().put("gone", "1");
    long compact = client.kv().put("gone", "2").revision();
    client.kv().compact(compact);
    Run run = run("kv", "watch", "gone", "--rev", "2");
    assertThat(exit(run)).isEqualTo(1);
    assertThat(run.err().toString()).contains("compacted", "--rev " + (compact + 1));
  }

  @Test
  void aNegativeRevisionIsAUsageError() {
    Run run = run("kv", "watch", "k", "--rev", "-1");
    assertThat(exit(run)).isEqualTo(2);
    assertThat(run.err().toString()).contains("--rev: must not be negative");
  }
}
