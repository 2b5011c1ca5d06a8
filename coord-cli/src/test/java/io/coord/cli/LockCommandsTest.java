package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coord.client.CoordClient;
import io.coord.client.lock.HeldLock;
import io.coord.client.lock.LockHolder;
import io.coord.client.lock.LockInfo;
import io.coord.client.session.Session;
import io.coord.testing.CoordTestCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code coord lock ...} and {@code coord elect ...}, in process, against a real cluster. */
@Timeout(180)
class LockCommandsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static CoordTestCluster cluster;
  private static List<String> endpoints;
  private static CoordClient client;

  @TempDir
  Path dir;

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

  /** Runs coord with the endpoints first: options after "--" belong to the command. */
  private static Cli.Run coord(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--endpoints";
    all[1] = String.join(",", endpoints);
    System.arraycopy(args, 0, all, 2, args.length);
    return Cli.raw("", all);
  }

  private static JsonNode json(Cli.Run result) throws Exception {
    assertThat(result.exitCode()).as(result.err()).isZero();
    return MAPPER.readTree(result.out().lines().findFirst().orElseThrow());
  }

  @Test
  void lockRunsTheCommandWithTheTokenInItsEnvironmentThenReleases() throws Exception {
    Path file = dir.resolve("env");
    Cli.Run run = coord("lock", "cli/run", "--", "sh", "-c",
        "echo \"$COORD_LOCK_NAME $COORD_LOCK_TOKEN $COORD_LOCK_SESSION\" > " + file);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).matches("lock cli/run held: token \\d+, session \\d+\n");
    String[] printed = run.out().replaceAll("[^0-9 ]", "").trim().split(" +");
    assertThat(Files.readString(file).trim())
        .isEqualTo("cli/run " + printed[0] + " " + printed[1]);
    assertThat(client.locks().inspect("cli/run")).as("released").isEmpty();
  }

  @Test
  void lockExitsWithTheCommandsStatus() {
    assertThat(coord("lock", "cli/status", "--", "sh", "-c", "exit 3").exitCode()).isEqualTo(3);
    assertThat(client.locks().inspect("cli/status")).isEmpty();
  }

  @Test
  void lockGivesUpAfterTimeoutWhenTheLockIsHeldAndLeavesNoWaiter() {
    try (HeldLock held = client.lock("cli/busy").acquire(Duration.ofSeconds(10))) {
      Cli.Run run = coord("--timeout", "700ms", "lock", "cli/busy", "--", "true");
      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.err()).contains("lock cli/busy not acquired within 700ms");
      LockInfo info = client.locks().inspect("cli/busy").orElseThrow();
      assertThat(info.waiters()).isEmpty();
      assertThat(info.holders()).extracting(LockHolder::token).containsExactly(held.token());
    }
  }

  @Test
  void aLostLockTerminatesTheCommandAndCoordExitsNonZero() throws Exception {
    Path pidFile = dir.resolve("pid");
    CompletableFuture<Cli.Run> run = CompletableFuture.supplyAsync(() -> coord("lock",
        "cli/lost", "--ttl", "6", "--", "sh", "-c", "echo $$ > " + pidFile + "; exec sleep 120"));
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile)
        && !Files.readString(pidFile).isBlank());
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    long session = client.locks().inspect("cli/lost").orElseThrow().holders().get(0).session();
    client.sessions().revoke(session);   // e.g. an operator: the session, and the lock, end

    Cli.Run result = run.get(60, TimeUnit.SECONDS);
    assertThat(result.exitCode()).isEqualTo(1);
    assertThat(result.err()).contains("coord: lock cli/lost lost (session " + session)
        .contains("the command was terminated");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
  }

  @Test
  void inspectListAndBreakShowHoldersWaitersAndTheRecord() throws Exception {
    HeldLock held = client.lock("cli/inspected").acquire(Duration.ofSeconds(10));
    Session waiting = client.sessions().grant(Duration.ofSeconds(10));
    CompletableFuture<HeldLock> waiter = client.locks().lock("cli/inspected",
        io.coord.client.lock.LockOptions.builder().session(waiting).build()).acquireAsync(null);
    Awaitility.await().until(() -> client.locks().inspect("cli/inspected").orElseThrow()
        .waiterCount() == 1);

    Cli.Run inspect = coord("lock", "inspect", "cli/inspected");
    assertThat(inspect.out().lines().toList()).hasSize(3);
    assertThat(inspect.out().lines().toList().get(0)).isEqualTo("cli/inspected MUTEX 0");
    assertThat(inspect.out().lines().toList().get(1)).startsWith("HOLDER " + held.session().id() + " "
        + held.token() + " WRITE ");
    assertThat(inspect.out().lines().toList().get(2)).startsWith("WAITER " + waiting.id() + " WRITE ");
    JsonNode doc = json(coord("-o", "json", "lock", "inspect", "cli/inspected"));
    assertThat(JsonDoc.fields(doc)).containsExactly("name", "kind", "permits", "holders",
        "waiters", "waiter_count", "last_break");
    assertThat(JsonDoc.fields(doc.get("holders").get(0))).containsExactly("session", "token",
        "mode", "held_since", "revision");
    assertThat(doc.get("holders").get(0).get("token").asLong()).isEqualTo(held.token());

    assertThat(coord("lock", "ls", "cli/insp").out())
        .isEqualTo("cli/inspected MUTEX 1 1 " + held.token() + "\n");

    Cli.Run broken = coord("lock", "break", "cli/inspected", "--reason", "maintenance");
    assertThat(broken.out()).isEqualTo(held.session().id() + " " + held.token() + "\n");
    HeldLock next = waiter.get(30, TimeUnit.SECONDS);
    JsonNode after = json(coord("-o", "json", "lock", "inspect", "cli/inspected"));
    assertThat(after.get("holders").get(0).get("token").asLong()).isEqualTo(next.token());
    assertThat(after.get("last_break").get("reason").asText()).isEqualTo("maintenance");
    next.release();
    held.release();
    waiting.close();
    assertThat(coord("lock", "inspect", "cli/free").out()).isEqualTo("cli/free free\n");
  }

  @Test
  void lockPrintsJson() throws Exception {
    JsonNode doc = json(coord("-o", "json", "lock", "cli/json", "--permits", "2", "--", "true"));
    assertThat(JsonDoc.fields(doc)).containsExactly("name", "kind", "mode", "token", "session",
        "held_since", "revision");
    assertThat(doc.get("kind").asText()).isEqualTo("SEMAPHORE");
    assertThat(doc.get("token").isIntegralNumber()).isTrue();
  }

  @Test
  void badCombinationsAreUsageErrors() {
    assertThat(coord("lock").exitCode()).isEqualTo(2);
    assertThat(coord("lock", "x", "--read", "--write").exitCode()).isEqualTo(2);
    assertThat(coord("lock", "x", "--permits", "2", "--read").exitCode()).isEqualTo(2);
    assertThat(coord("elect", "x").exitCode()).isEqualTo(2);
    assertThat(coord("elect", "x", "v", "--listen").exitCode()).isEqualTo(2);
  }

  @Test
  void electRunsTheCommandAsLeaderThenResigns() throws Exception {
    Path file = dir.resolve("term");
    Cli.Run run = coord("elect", "cli/elect", "v1", "--", "sh", "-c",
        "echo \"$COORD_ELECTION_TERM $COORD_ELECTION_VALUE\" > " + file);
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).matches("leader of cli/elect: term \\d+, session \\d+\n");
    String term = run.out().replaceAll(".*term (\\d+),.*\\n", "$1");
    assertThat(Files.readString(file).trim()).isEqualTo(term + " v1");
    assertThat(client.elections().leader("cli/elect")).isEmpty();
  }

  @Test
  void electListenPrintsEveryChangeIncludingNoLeader() throws Exception {
    CompletableFuture<Cli.Run> listening = CompletableFuture.supplyAsync(() ->
        coord("elect", "cli/listened", "--listen", "--max-events", "3"));
    Session session = client.sessions().grant(Duration.ofSeconds(10));
    // The listener's first line is the state when it started: wait for it to be there.
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cluster.members().get(0)
        .server().watches().stats().synced() > 0);
    var leadership = client.elections().campaign("cli/listened", "here", session);
    leadership.resign();
    Cli.Run result = listening.get(60, TimeUnit.SECONDS);
    assertThat(result.exitCode()).as(result.err()).isZero();
    List<String> lines = result.out().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).startsWith("NO_LEADER ");
    assertThat(lines.get(1)).isEqualTo("LEADER " + leadership.term() + " " + session.id() + " "
        + leadership.revision() + " here");
    assertThat(lines.get(2)).startsWith("NO_LEADER ");
    session.close();
  }
}
