package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.coord.client.CoordClient;
import io.coord.client.discovery.HealthStatus;
import io.coord.client.discovery.Registration;
import io.coord.client.discovery.ServiceInstance;
import io.coord.testing.CoordTestCluster;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(120)
class ServiceCommandsTest {
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

  /** A foreground command on its own thread, its output captured; interrupt it to stop. */
  private static final class Foreground {
    final StringWriter output = new StringWriter();
    final AtomicInteger exit = new AtomicInteger(-1);
    final Thread thread;

    Foreground(String... args) {
      PrintWriter out = new PrintWriter(output, true);
      thread = new Thread(() -> exit.set(Cli.run(endpoints, out, args)), "coord-foreground");
      thread.start();
    }

    String out() {
      synchronized (output) {
        return output.toString();
      }
    }
  }

  @Test
  void registerInTheForegroundThenListGetAndDeregisterOnInterrupt() throws Exception {
    Foreground register = new Foreground("service", "register", "cli-api", "--id", "api-1",
        "--address", "127.0.0.1", "--port", "9001", "--tag", "v2", "--tag", "blue",
        "--weight", "3", "--meta", "zone=a", "--ttl", "6");
    Awaitility.await().atMost(Duration.ofSeconds(15))
        .until(() -> register.out().contains("registered cli-api/api-1 at 127.0.0.1:9001"));
    client.discovery().register(Registration.builder("cli-api", "api-2").address("127.0.0.2")
        .port(9002).build(), client.sessions().grant(Duration.ofSeconds(6)));

    Cli.Result ls = coord("service", "ls");
    assertThat(ls.exitCode()).as(ls.err()).isZero();
    assertThat(ls.out()).contains("cli-api 2 2 blue,v2");

    Cli.Result get = coord("service", "get", "cli-api", "--tag", "v2");
    assertThat(get.out().trim()).matches(
        "api-1 127\\.0\\.0\\.1 9001 PASSING 3 v2,blue \\d+ -");
    assertThat(coord("service", "get", "cli-api", "--healthy").out().lines()).hasSize(2);
    assertThat(coord("service", "get", "cli-api", "-o", "table").out())
        .contains("| ID ", "| api-2 ");

    JsonNode json = new ObjectMapper().readTree(
        coord("service", "get", "cli-api", "-o", "json").out());
    JsonNode first = json.get("instances").get(0);
    assertThat(JsonDoc.fields(first)).containsExactly("service", "id", "address", "port",
        "status", "weight", "tags", "metadata", "session", "checks", "create_revision",
        "mod_revision");
    assertThat(first.get("metadata").get("zone").asText()).isEqualTo("a");
    JsonNode services = new ObjectMapper().readTree(coord("service", "ls", "-o", "json").out());
    assertThat(JsonDoc.fields(services.get("services").get(0)))
        .containsExactly("name", "instances", "healthy", "tags");

    register.thread.interrupt();
    register.thread.join(TimeUnit.SECONDS.toMillis(15));
    assertThat(register.exit.get()).isZero();
    assertThat(register.out()).contains("deregistered cli-api/api-1");
    assertThat(client.discovery().lookup("cli-api")).extracting(ServiceInstance::id)
        .containsExactly("api-2");
  }

  @Test
  void registerWithAnHttpCheckBecomesPassingOnceTheEndpointAnswers() throws Exception {
    AtomicInteger healthStatus = new AtomicInteger(503);
    AtomicInteger probes = new AtomicInteger();
    HttpServer health = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    health.createContext("/health", exchange -> {
      probes.incrementAndGet();
      exchange.sendResponseHeaders(healthStatus.get(), -1);
      exchange.close();
    });
    health.start();
    String url = "http://127.0.0.1:" + health.getAddress().getPort() + "/health";
    Foreground register = new Foreground("service", "register", "cli-checked", "--id", "c-1",
        "--address", "127.0.0.1", "--port", "9101", "--check-http", url,
        "--check-interval", "200ms", "--ttl", "6");
    try {
      Awaitility.await().atMost(Duration.ofSeconds(15))
          .until(() -> register.out().contains("registered cli-checked/c-1 at 127.0.0.1:9101"));
      // The endpoint answers 503: the leader's probes keep it CRITICAL.
      Awaitility.await().atMost(Duration.ofSeconds(15)).until(() -> probes.get() >= 2);
      ServiceInstance failing = client.discovery().lookup("cli-checked").get(0);
      assertThat(failing.status()).isEqualTo(HealthStatus.CRITICAL);
      assertThat(client.discovery().lookup("cli-checked", true)).isEmpty();

      healthStatus.set(200);
      Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
          .until(() -> client.discovery().lookup("cli-checked").get(0).status()
              == HealthStatus.PASSING);
      ServiceInstance passing = client.discovery().lookup("cli-checked", true).get(0);
      assertThat(passing.checks()).singleElement().satisfies(check -> {
        assertThat(check.status()).isEqualTo(HealthStatus.PASSING);
        assertThat(check.output()).contains("200");
      });

      assertThat(coord("service", "get", "cli-checked", "--healthy").out().trim())
          .matches("c-1 127\\.0\\.0\\.1 9101 PASSING 1 - \\d+ [\\w-]+=PASSING");
      JsonNode json = new ObjectMapper().readTree(
          coord("service", "get", "cli-checked", "-o", "json").out());
      JsonNode check = json.get("instances").get(0).get("checks").get(0);
      assertThat(check.get("kind").asText()).isEqualTo("http");
      assertThat(check.get("target").asText()).isEqualTo(url);
      assertThat(check.get("status").asText()).isEqualTo("PASSING");

      register.thread.interrupt();
      register.thread.join(TimeUnit.SECONDS.toMillis(15));
      assertThat(register.exit.get()).isZero();
      assertThat(client.discovery().lookup("cli-checked")).isEmpty();
    } finally {
      register.thread.interrupt();
      register.thread.join(TimeUnit.SECONDS.toMillis(15));
      health.stop(0);
    }
  }

  @Test
  void registerWithATcpCheckBecomesPassing() throws Exception {
    try (ServerSocket listening = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Foreground register = new Foreground("service", "register", "cli-tcp", "--id", "t-1",
          "--address", "127.0.0.1", "--port", Integer.toString(listening.getLocalPort()),
          "--check-tcp", "127.0.0.1:" + listening.getLocalPort(), "--check-interval", "200ms",
          "--ttl", "6");
      try {
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
            .until(() -> client.discovery().lookup("cli-tcp", true).size() == 1);
        assertThat(client.discovery().lookup("cli-tcp").get(0).checks()).singleElement()
            .satisfies(check -> assertThat(check.status()).isEqualTo(HealthStatus.PASSING));
      } finally {
        register.thread.interrupt();
        register.thread.join(TimeUnit.SECONDS.toMillis(15));
      }
      assertThat(register.exit.get()).isZero();
    }
  }

  @Test
  void watchPrintsTheSnapshotThenChanges() throws Exception {
    StringWriter output = new StringWriter();
    PrintWriter out = new PrintWriter(output, true);
    CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() ->
        Cli.run(endpoints, out, "service", "watch", "cli-web", "--max-events", "2"));
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> output.toString().contains("SNAPSHOT"));
    var session = client.sessions().grant(Duration.ofSeconds(6));
    client.discovery().register(Registration.builder("cli-web", "w1").address("127.0.0.1")
        .port(8080).build(), session);
    client.discovery().deregister("cli-web", "w1");
    assertThat(watch.get(15, TimeUnit.SECONDS)).isZero();
    List<String> lines = output.toString().lines().toList();
    assertThat(lines.get(0)).matches("SNAPSHOT \\d+ -");
    assertThat(lines.get(1)).matches("PUT \\d+ w1 127\\.0\\.0\\.1:8080 PASSING");
    assertThat(lines.get(2)).matches("DELETE \\d+ w1");
  }

  @Test
  void badArgumentsAreUsageErrorsAndRefusalsNameTheField() {
    assertThat(coord("service", "register", "x", "--address", "h", "--port", "1").exitCode())
        .isEqualTo(2);
    assertThat(coord("service", "register", "x", "--id", "i", "--address", "h", "--port", "1",
        "--check-http", "http://h/", "--check-tcp", "h:1").exitCode()).isEqualTo(2);
    Cli.Result refused = coord("service", "register", "Bad_Name", "--id", "i", "--address",
        "127.0.0.1", "--port", "1");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("register.service");
    assertThat(coord("service", "get", "UPPER").err()).contains("lookup.service");
  }
}
