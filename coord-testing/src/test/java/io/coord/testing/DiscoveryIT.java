package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.coord.client.CoordClient;
import io.coord.client.discovery.CheckSpec;
import io.coord.client.discovery.HealthStatus;
import io.coord.client.discovery.InstanceEvent;
import io.coord.client.discovery.Registration;
import io.coord.client.discovery.ServiceCache;
import io.coord.client.discovery.ServiceInstance;
import io.coord.client.discovery.ServiceRegistry;
import io.coord.client.discovery.ServiceWatchListener;
import io.coord.client.discovery.ServiceWatcher;
import io.coord.server.config.ConfigKeys;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Service discovery end to end: ownership by sessions, health checks, watches. */
@Timeout(300)
class DiscoveryIT {
  private static final Duration TTL = Duration.ofSeconds(6);
  private static final Duration ELECTION_TIMEOUT_MAX = Duration.ofMillis(1200);

  private CoordTestCluster cluster;
  private final List<Process> processes = new ArrayList<>();
  private final List<HttpServer> httpServers = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3)
        .set(ConfigKeys.ELECTION_TIMEOUT_MAX, ELECTION_TIMEOUT_MAX.toMillis() + "ms")
        .build().start();
    cluster.awaitReady();
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    httpServers.forEach(s -> s.stop(0));
    cluster.close();
  }

  private static Registration instance(String service, String id, int port) {
    return Registration.builder(service, id).address("127.0.0.1").port(port).build();
  }

  /** Records what a watch delivers and keeps the resulting view. */
  static final class Recorder implements ServiceWatchListener {
    final Map<String, ServiceInstance> view = new ConcurrentHashMap<>();
    final List<InstanceEvent> events = new CopyOnWriteArrayList<>();
    final List<Long> revisions = new CopyOnWriteArrayList<>();
    /** Every version of every instance seen, snapshots included, in order. */
    final List<ServiceInstance> versions = new CopyOnWriteArrayList<>();
    volatile int snapshots;

    @Override
    public void onSnapshot(long revision, List<ServiceInstance> instances) {
      view.clear();
      instances.forEach(i -> view.put(i.id(), i));
      versions.addAll(instances);
      revisions.add(revision);
      snapshots++;
    }

    @Override
    public void onEvents(long revision, List<InstanceEvent> batch) {
      for (InstanceEvent event : batch) {
        if (event.type() == InstanceEvent.Type.PUT) {
          view.put(event.id(), event.instance());
          versions.add(event.instance());
        } else {
          view.remove(event.id());
        }
      }
      events.addAll(batch);
      revisions.add(revision);
    }
  }

  private Process startRegisteringProcess(String service, String id, int port)
      throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder(java, "-Xmx128m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        RegisteringProcess.class.getName(), String.join(",", cluster.endpoints()), service, id,
        Integer.toString(port), Long.toString(TTL.toSeconds()))
        .redirectErrorStream(true).start();
    processes.add(process);
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("REGISTERED ")) {
        return process;
      }
    }
    throw new IllegalStateException("the registering process ended without registering");
  }

  @Test
  void killingAClientProcessRemovesItsInstanceWithinTtlPlusAnElectionTimeout()
      throws Exception {
    CoordClient first = cluster.newClient();
    CoordClient second = cluster.newClient();
    first.discovery().registry(TTL).register(instance("api", "api-1", 9001));
    second.discovery().registry(TTL).register(instance("api", "api-2", 9002));
    Process third = startRegisteringProcess("api", "api-3", 9003);

    Recorder recorder = new Recorder();
    CoordClient watching = cluster.newClient();
    ServiceWatcher watcher = watching.discovery().watch("api", recorder);
    ServiceCache cache = watching.discovery().cache("api");
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() ->
        recorder.view.keySet().equals(java.util.Set.of("api-1", "api-2", "api-3"))
            && cache.healthy().size() == 3);

    third.destroyForcibly();
    long killedAt = System.nanoTime();
    assertThat(third.waitFor(10, TimeUnit.SECONDS)).isTrue();
    Awaitility.await().atMost(TTL.plus(Duration.ofSeconds(10)))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> !cache.get("api-3").isPresent());
    Duration gone = Duration.ofNanos(System.nanoTime() - killedAt);
    // Never before the server could expire the session (the last keep-alive went at most
    // TTL/3 before the kill), and within TTL + one election timeout.
    assertThat(gone).isGreaterThan(TTL.multipliedBy(2).dividedBy(3).minusMillis(200))
        .isLessThan(TTL.plus(ELECTION_TIMEOUT_MAX));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
        recorder.events.stream().anyMatch(e -> e.type() == InstanceEvent.Type.DELETE
            && e.id().equals("api-3")));
    assertThat(recorder.view.keySet()).containsExactlyInAnyOrder("api-1", "api-2");
    assertThat(first.discovery().lookup("api", true)).extracting(ServiceInstance::id)
        .containsExactly("api-1", "api-2");
    assertThat(cache.healthy()).extracting(ServiceInstance::id)
        .containsExactly("api-1", "api-2");
    watcher.close();
  }

  private HttpServer httpServer(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
    server.createContext("/health", exchange -> {
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    server.start();
    httpServers.add(server);
    return server;
  }

  private static HealthStatus status(ServiceCache cache, String id) {
    return cache.get(id).map(ServiceInstance::status).orElse(null);
  }

  @Test
  void anHttpCheckFollowsARealServerAcrossALeaderKill() throws Exception {
    HttpServer http = httpServer(0);
    int port = http.getAddress().getPort();
    CoordClient client = cluster.newClient();
    ServiceRegistry registry = client.discovery().registry(TTL);
    ServiceInstance registered = registry.register(Registration.builder("web", "web-1")
        .address("127.0.0.1").port(port)
        .check(CheckSpec.http("http://127.0.0.1:" + port + "/health").name("http")
            .interval(Duration.ofMillis(300)).timeout(Duration.ofMillis(500)))
        .build());
    assertThat(registered.status()).isEqualTo(HealthStatus.CRITICAL);
    Recorder recorder = new Recorder();
    client.discovery().watch("web", recorder);
    ServiceCache cache = client.discovery().cache("web");
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> status(cache, "web-1") == HealthStatus.PASSING);
    ServiceInstance passing = cache.get("web-1").orElseThrow();
    assertThat(passing.checks().get(0).output()).contains("200");

    http.stop(0);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> status(cache, "web-1") == HealthStatus.CRITICAL);
    assertThat(cache.healthy()).isEmpty();

    String leader = cluster.awaitLeader().name();
    cluster.stop(leader);
    assertThat(cluster.awaitLeader(Duration.ofSeconds(20)).name()).isNotEqualTo(leader);
    Awaitility.await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
        .until(() -> httpServer(port) != null);
    Awaitility.await().atMost(Duration.ofSeconds(15))
        .until(() -> status(cache, "web-1") == HealthStatus.PASSING);
    cluster.start(leader);

    http = httpServers.get(httpServers.size() - 1);
    http.stop(0);
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> status(cache, "web-1") == HealthStatus.CRITICAL);

    // Only changes reach the log: every version of the instance after the snapshot (which may
    // already show the first probe's PASSING) has a new status.
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
        recorder.view.get("web-1").status() == HealthStatus.CRITICAL);
    List<HealthStatus> statuses = recorder.versions.stream()
        .filter(i -> i.id().equals("web-1")).map(ServiceInstance::status).toList();
    assertThat(statuses.subList(statuses.size() - 4, statuses.size())).containsExactly(
        HealthStatus.PASSING, HealthStatus.CRITICAL, HealthStatus.PASSING,
        HealthStatus.CRITICAL);
    for (int i = 1; i < statuses.size(); i++) {
      assertThat(statuses.get(i)).as("update %d", i).isNotEqualTo(statuses.get(i - 1));
    }
    assertThat(cache.get("web-1").orElseThrow().session()).isEqualTo(registry.session().id());
  }

  @Test
  void anInstanceCriticalForTooLongIsDeregistered() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    CoordClient client = cluster.newClient();
    ServiceRegistry registry = client.discovery().registry(TTL);
    registry.register(Registration.builder("db", "db-1").address("127.0.0.1")
        .port(closedPort)
        .check(CheckSpec.tcp("127.0.0.1:" + closedPort).interval(Duration.ofMillis(200)))
        .deregisterCriticalAfter(Duration.ofSeconds(1)).build());
    registry.register(Registration.builder("db", "db-2").address("127.0.0.1").port(1).build());
    long registeredAt = System.nanoTime();
    ServiceCache cache = client.discovery().cache("db");
    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> cache.ready().isDone() && cache.get("db-1").isEmpty());
    assertThat(Duration.ofNanos(System.nanoTime() - registeredAt))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(cache.instances()).extracting(ServiceInstance::id).containsExactly("db-2");
    assertThat(registry.session().isLost()).isFalse();
  }

  @Test
  void aLostSessionIsFollowedByAFreshRegistration() throws Exception {
    CoordClient client = cluster.newClient();
    ServiceRegistry registry = client.discovery().registry(TTL);
    registry.register(instance("api", "api-1", 9001));
    long first = registry.session().id();
    ServiceCache cache = client.discovery().cache("api");
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> cache.get("api-1").isPresent());

    cluster.newClient().sessions().revoke(first);
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> cache.get("api-1")
        .map(i -> i.session() != first).orElse(false));
    assertThat(registry.session().id()).isNotEqualTo(first);
    assertThat(cache.get("api-1").orElseThrow().session()).isEqualTo(registry.session().id());
  }

  @Test
  void aWatchResumesOnAnotherMemberWithoutLossOrDuplicates() throws Exception {
    CoordClient writer = cluster.newClient();
    ServiceRegistry registry = writer.discovery().registry(TTL);
    registry.register(instance("q", "q-0", 9000));
    String first = cluster.members().get(0).name();
    CoordClient watching = cluster.newClient(List.of(cluster.member(first).clientAddress(),
        cluster.members().get(1).clientAddress(), cluster.members().get(2).clientAddress()));
    Recorder recorder = new Recorder();
    ServiceWatcher watcher = watching.discovery().watch("q", recorder);
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> recorder.view.size() == 1);

    cluster.stop(first);
    for (int i = 1; i <= 5; i++) {
      registry.register(instance("q", "q-" + i, 9000 + i));
    }
    registry.deregister("q", "q-0");
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> recorder.view.keySet()
        .equals(java.util.Set.of("q-1", "q-2", "q-3", "q-4", "q-5")));
    assertThat(watcher.reconnects()).isPositive();
    assertThat(recorder.snapshots).isEqualTo(1);
    assertThat(recorder.revisions).isSorted().doesNotHaveDuplicates();
    cluster.start(first);
  }
}
