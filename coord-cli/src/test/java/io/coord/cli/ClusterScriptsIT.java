package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.coord.cli.Script.Result;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: scripts/cluster starts three real server processes from the packaged jar,
 * scripts/coord talks to them, the leader is killed and the cluster keeps serving.
 */
@Timeout(300)
class ClusterScriptsIT {
  private static final Duration SCRIPT_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration CLI_TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path work;

  @Test
  void clusterKeepsServingAfterItsLeaderIsKilled() throws Exception {
    Path data = work.resolve("data");
    Script scripts = new Script(Map.of(
        "COORD_DATA", data.toString(),
        "COORD_PORT_BASE", Integer.toString(freePortBase()),
        "COORD_NO_BUILD", "1"), Files.createDirectories(work.resolve("out")));
    List<Long> pids = new ArrayList<>();
    try {
      Result up = scripts.run(SCRIPT_TIMEOUT, "cluster", "up", "3");
      pids.addAll(pids(data));
      assertThat(up.exitCode()).as(up.toString()).isZero();
      assertThat(up.out()).contains("Coord is up: 3 members");
      assertThat(pids).hasSize(3);

      assertOk(scripts.run(CLI_TIMEOUT, "coord", "kv", "put", "e2e/greeting", "hello"), "OK\n");
      assertOk(scripts.run(CLI_TIMEOUT, "coord", "kv", "get", "e2e/greeting"),
          "e2e/greeting\nhello\n");

      String leader = leaderName(scripts);
      Result kill = scripts.run(CLI_TIMEOUT, "cluster", "kill", leader.substring(1));
      assertThat(kill.exitCode()).as(kill.toString()).isZero();

      assertOk(scripts.run(CLI_TIMEOUT, "coord", "kv", "get", "e2e/greeting"),
          "e2e/greeting\nhello\n");
      assertOk(scripts.run(CLI_TIMEOUT, "coord", "kv", "put", "e2e/greeting", "again"), "OK\n");
      assertOk(scripts.run(CLI_TIMEOUT, "coord", "kv", "get", "--print-value-only",
          "e2e/greeting"), "again\n");

      JsonNode status = status(scripts);
      assertThat(member(status, leader).get("healthy").asBoolean()).isFalse();
      assertThat(leaderName(scripts)).isNotEqualTo(leader);

      Result down = scripts.run(SCRIPT_TIMEOUT, "cluster", "down");
      assertThat(down.exitCode()).as(down.toString()).isZero();
      assertThat(pids(data)).isEmpty();
      assertThat(pids).noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive)
          .orElse(false));
    } catch (Throwable failure) {
      printMemberLogs(data);
      throw failure;
    } finally {
      pids.addAll(pids(data));
      try {
        scripts.run(SCRIPT_TIMEOUT, "cluster", "down");
      } finally {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      }
    }
  }

  @Test
  void growsToFiveShrinksBackToThreeAndReplacesADeadMember() throws Exception {
    Path data = work.resolve("data");
    int base = freePortBase();
    Script scripts = new Script(Map.of(
        "COORD_DATA", data.toString(),
        "COORD_PORT_BASE", Integer.toString(base),
        "COORD_NO_BUILD", "1"), Files.createDirectories(work.resolve("out")));
    List<Long> pids = new ArrayList<>();
    try {
      assertSucceeds(scripts.run(SCRIPT_TIMEOUT, "cluster", "up", "3"));
      pids.addAll(pids(data));
      assertOk(scripts.run(CLI_TIMEOUT, "coord", "kv", "put", "ops/before", "1"), "OK\n");

      assertSucceeds(scripts.run(SCRIPT_TIMEOUT, "cluster", "add", "4"));
      assertSucceeds(scripts.run(SCRIPT_TIMEOUT, "cluster", "add", "5"));
      pids.addAll(pids(data));
      assertThat(voters(scripts)).containsExactlyInAnyOrder("n1", "n2", "n3", "n4", "n5");
      assertOk(scripts.run(CLI_TIMEOUT, "coord", "kv", "put", "ops/grown", "1"), "OK\n");

      String leader = leaderName(scripts);
      assertSucceeds(scripts.run(SCRIPT_TIMEOUT, "cluster", "remove", leader.substring(1)));
      String other = voters(scripts).stream().filter(n -> !n.equals(leaderName(scripts)))
          .findFirst().orElseThrow();
      assertSucceeds(scripts.run(SCRIPT_TIMEOUT, "cluster", "remove", other.substring(1)));
      assertThat(voters(scripts)).hasSize(3).doesNotContain(leader, other);

      // Replace a dead member: kill it, remove it, add a fresh one.
      String dead = voters(scripts).stream().filter(n -> !n.equals(leaderName(scripts)))
          .findFirst().orElseThrow();
      assertSucceeds(scripts.run(CLI_TIMEOUT, "cluster", "kill", dead.substring(1)));
      assertSucceeds(scripts.run(SCRIPT_TIMEOUT, "cluster", "remove", dead.substring(1)));
      assertSucceeds(scripts.run(SCRIPT_TIMEOUT, "cluster", "add", "6"));
      pids.addAll(pids(data));
      assertThat(voters(scripts)).hasSize(3).contains("n6").doesNotContain(dead);
      assertThat(status(scripts).get("members")).allSatisfy(m ->
          assertThat(m.get("healthy").asBoolean()).as(m.toString()).isTrue());

      for (String key : List.of("ops/before", "ops/grown")) {
        assertOk(scripts.run(CLI_TIMEOUT, "coord", "kv", "get", "--print-value-only", key),
            "1\n");
      }
      JsonNode n6 = member(status(scripts), "n6");
      HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://" + n6.get("http_address").asText() + "/readyz")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    } catch (Throwable failure) {
      printMemberLogs(data);
      throw failure;
    } finally {
      pids.addAll(pids(data));
      try {
        scripts.run(SCRIPT_TIMEOUT, "cluster", "down");
      } finally {
        pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
      }
    }
  }

  private static void assertSucceeds(Result result) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
  }

  private static List<String> voters(Script scripts) throws Exception {
    Result list = scripts.run(CLI_TIMEOUT, "coord", "-o", "json", "member", "list");
    assertSucceeds(list);
    List<String> names = new ArrayList<>();
    for (JsonNode member : new ObjectMapper().readTree(list.out()).get("members")) {
      if (!member.get("is_learner").asBoolean()) {
        names.add(member.get("name").asText());
      }
    }
    return names;
  }

  /** Shows the members' logs in the test output, to tell why the cluster misbehaved. */
  private static void printMemberLogs(Path data) throws IOException {
    if (!Files.isDirectory(data)) {
      return;
    }
    try (Stream<Path> files = Files.list(data)) {
      for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        System.err.println("===== " + log + "\n" + Files.readString(log));
      }
    }
  }

  private static void assertOk(Result result, String expectedOut) {
    assertThat(result.exitCode()).as(result.toString()).isZero();
    assertThat(result.out()).as(result.toString()).isEqualTo(expectedOut);
  }

  private static JsonNode status(Script scripts) throws Exception {
    Result status = scripts.run(CLI_TIMEOUT, "coord", "-o", "json", "cluster", "status");
    assertThat(status.exitCode()).as(status.toString()).isZero();
    return new ObjectMapper().readTree(status.out());
  }

  /** The name of the member the cluster reports as leader, e.g. n2. */
  private static String leaderName(Script scripts) {
    try {
      return leaderNameOrFail(scripts);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static String leaderNameOrFail(Script scripts) throws Exception {
    JsonNode status = status(scripts);
    Optional<JsonNode> leader = Optional.empty();
    for (JsonNode member : status.get("members")) {
      if (member.get("role").asText().equals("LEADER")) {
        leader = Optional.of(member);
      }
    }
    return leader.orElseThrow(() -> new AssertionError("no leader in " + status))
        .get("name").asText();
  }

  private static JsonNode member(JsonNode status, String name) {
    for (JsonNode member : status.get("members")) {
      if (member.get("name").asText().equals(name)) {
        return member;
      }
    }
    throw new AssertionError("no member " + name + " in " + status);
  }

  private static List<Long> pids(Path data) throws IOException {
    if (!Files.isDirectory(data)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(data)) {
      List<Long> pids = new ArrayList<>();
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".pid")).toList()) {
        pids.add(Long.parseLong(Files.readString(file).trim()));
      }
      return pids;
    }
  }

  /**
   * A port base whose client (base+1..9), Raft (base+11..19) and HTTP (base+21..29) ports are
   * all free, well away from the default 7700 and below the kernel's ephemeral range.
   */
  private static int freePortBase() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int base = 27_000 + 100 * ThreadLocalRandom.current().nextInt(40);
      if (allFree(base)) {
        return base;
      }
    }
    throw new IllegalStateException("no free port base found in 27000-31000");
  }

  private static boolean allFree(int base) {
    for (int n = 1; n <= 9; n++) {
      for (int offset : new int[] {n, 10 + n, 20 + n, 30 + n}) {
        try (ServerSocket socket = new ServerSocket()) {
          socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + offset));
        } catch (IOException taken) {
          return false;
        }
      }
    }
    return true;
  }

}
