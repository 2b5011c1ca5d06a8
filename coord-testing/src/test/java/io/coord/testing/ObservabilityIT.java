package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.cluster.Member;
import io.coord.client.cluster.MemberStatus;
import io.coord.client.lock.HeldLock;
import io.coord.client.session.Session;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /metrics, /livez, /readyz, /health, gRPC health and reflection on real members. */
@Timeout(300)
class ObservabilityIT {
  private static final HttpClient HTTP = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private static CoordTestCluster cluster;
  private static CoordClient client;

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitLeader();
    client = cluster.newClient();
    for (int i = 0; i < 50; i++) {
      client.kv().put("obs/" + i, "v" + i);
    }
    await().atMost(Duration.ofSeconds(30))
        .until(() -> client.cluster().status().stream().allMatch(MemberStatus::healthy));
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void metricsAreValidPrometheusTextWithPlausibleValues() throws Exception {
    CoordTestCluster.Member leader = cluster.awaitLeader();
    long revision = client.kv().put("obs/last", "x").revision();
    Map<String, Double> samples = scrape(leader);

    assertThat(samples.get("coord_server_has_leader")).isEqualTo(1.0);
    assertThat(samples.get("coord_server_is_leader")).isEqualTo(1.0);
    assertThat(samples.get("coord_server_leader_changes_seen_total")).isNotNegative();
    assertThat(samples.get("coord_server_proposals_committed_total")).isPositive();
    assertThat(samples.get("coord_server_proposals_applied_total")).isPositive()
        .isLessThanOrEqualTo(samples.get("coord_server_proposals_committed_total"));
    assertThat(samples.get("coord_server_proposals_pending")).isNotNegative();
    assertThat(samples.get("coord_server_proposals_failed_total")).isNotNegative();
    assertThat(samples.get("coord_server_apply_duration_seconds_count")).isPositive();
    assertThat(samples.get("coord_server_apply_duration_seconds_sum")).isPositive();
    assertThat(samples.get("coord_disk_wal_fsync_duration_seconds_count")).isPositive();
    assertThat(samples.get("coord_mvcc_current_revision")).isGreaterThanOrEqualTo(revision);
    assertThat(samples.get("coord_mvcc_compact_revision")).isNotNegative();
    assertThat(samples.get("coord_mvcc_db_total_size_in_bytes")).isPositive();
    for (String feature : List.of("coord_server_sessions_active", "coord_server_watchers_active",
        "coord_server_locks_held", "coord_server_lock_waiters")) {
      assertThat(samples).containsKey(feature);
    }
    assertThat(samples.get("jvm_memory_used_bytes{area=\"heap\"}")).isPositive();

    // The client's writes were counted on the member that served them.
    double puts = 0;
    for (CoordTestCluster.Member member : cluster.running()) {
      puts += scrape(member).getOrDefault("grpc_server_handled_total{grpc_code=\"OK\","
          + "grpc_method=\"Put\",grpc_service=\"coord.v1.KV\",grpc_type=\"unary\"}", 0.0);
    }
    assertThat(puts).isGreaterThanOrEqualTo(51);
    assertThat(samples.keySet()).anyMatch(name ->
        name.startsWith("grpc_server_handling_seconds_bucket{"));

    CoordTestCluster.Member follower = cluster.running().stream()
        .filter(m -> !m.name().equals(leader.name())).findFirst().orElseThrow();
    Map<String, Double> onFollower = scrape(follower);
    assertThat(onFollower.get("coord_server_is_leader")).isZero();
    assertThat(onFollower.get("coord_server_has_leader")).isEqualTo(1.0);
  }

  @Test
  void sessionWatcherAndLockGaugesFollowWhatIsOpenAndHeld() throws Exception {
    CoordTestCluster.Member leader = cluster.awaitLeader();
    double sessions = gauge(leader, "coord_server_sessions_active");
    double watchers = gauge(leader, "coord_server_watchers_active");
    double held = gauge(leader, "coord_server_locks_held");
    double waiters = gauge(leader, "coord_server_lock_waiters");

    Session first = client.sessions().grant(Duration.ofSeconds(10));
    Session second = client.sessions().grant(Duration.ofSeconds(10));
    awaitGauge(leader, "coord_server_sessions_active", sessions + 2);
    first.close();
    awaitGauge(leader, "coord_server_sessions_active", sessions + 1);
    second.close();
    awaitGauge(leader, "coord_server_sessions_active", sessions);

    // Watches count on the member that serves them: a client that talks to the leader only.
    try (CoordClient onLeader = CoordClient.builder().endpoints(leader.clientAddress())
        .build()) {
      Watcher a = onLeader.watch("obs/watched/a", WatchOptions.DEFAULT, (rev, events) -> { });
      Watcher b = onLeader.watch("obs/watched/", WatchOptions.builder().prefix().build(),
          (rev, events) -> { });
      awaitGauge(leader, "coord_server_watchers_active", watchers + 2);
      a.close();
      awaitGauge(leader, "coord_server_watchers_active", watchers + 1);
      b.close();
      awaitGauge(leader, "coord_server_watchers_active", watchers);
    }

    HeldLock jobs = client.lock("obs/jobs").acquire(Duration.ofSeconds(10));
    HeldLock reports = client.lock("obs/reports").acquire(Duration.ofSeconds(10));
    awaitGauge(leader, "coord_server_locks_held", held + 2);
    awaitGauge(leader, "coord_server_lock_waiters", waiters);
    CompletableFuture<HeldLock> waiting = client.lock("obs/jobs")
        .acquireAsync(Duration.ofSeconds(60));
    awaitGauge(leader, "coord_server_lock_waiters", waiters + 1);
    jobs.release();
    HeldLock next = waiting.get(30, TimeUnit.SECONDS);
    awaitGauge(leader, "coord_server_lock_waiters", waiters);
    awaitGauge(leader, "coord_server_locks_held", held + 2);
    next.release();
    reports.release();
    awaitGauge(leader, "coord_server_locks_held", held);
  }

  private static double gauge(CoordTestCluster.Member member, String name) throws Exception {
    Double value = scrape(member).get(name);
    assertThat(value).as(name).isNotNull();
    return value;
  }

  private static void awaitGauge(CoordTestCluster.Member member, String name, double expected) {
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
        .untilAsserted(() -> assertThat(gauge(member, name)).as(name).isEqualTo(expected));
  }

  @Test
  void httpAddressesAreListedWithTheMembers() {
    for (Member member : client.cluster().members().members()) {
      assertThat(member.httpAddress())
          .isEqualTo(cluster.member(member.name()).httpAddress());
    }
    assertThat(client.cluster().status()).allSatisfy(s ->
        assertThat(s.member().httpAddress()).isNotEmpty());
  }

  @Test
  void readyzFailsOnAMemberCutOffFromTheLeaderAndRecovers() throws Exception {
    CoordTestCluster.Member member = cluster.members().get(0);
    assertThat(get(member, "/livez").statusCode()).isEqualTo(200);
    assertThat(get(member, "/readyz").statusCode()).isEqualTo(200);
    HttpResponse<String> verbose = get(member, "/readyz?verbose");
    assertThat(verbose.body()).contains("[+]leader ok", "[+]apply ok",
        "[+]linearizable_read ok");
    assertThat(get(member, "/health").body()).contains("{\"health\":\"true\",\"reason\":\"\"}");
    assertThat(grpcHealth(member)).isEqualTo(ServingStatus.SERVING);

    List<String> others = cluster.members().stream().map(CoordTestCluster.Member::name)
        .filter(n -> !n.equals(member.name())).toList();
    others.forEach(cluster::stop);
    try {
      await().atMost(Duration.ofSeconds(30)).until(() ->
          get(member, "/readyz").statusCode() == 503);
      assertThat(get(member, "/readyz?verbose").body()).contains("[-]");
      await().atMost(Duration.ofSeconds(30)).until(() ->
          get(member, "/health").body().contains("\"health\":\"false\""));
      await().atMost(Duration.ofSeconds(30)).until(() ->
          grpcHealth(member) == ServingStatus.NOT_SERVING);
      assertThat(get(member, "/livez").statusCode()).isEqualTo(200);
    } finally {
      others.forEach(cluster::start);
    }
    await().atMost(Duration.ofSeconds(60)).until(() ->
        get(member, "/readyz").statusCode() == 200);
    await().atMost(Duration.ofSeconds(30)).until(() ->
        grpcHealth(member) == ServingStatus.SERVING);
  }

  @Test
  void reflectionListsTheServices() throws Exception {
    CoordTestCluster.Member member = cluster.members().get(1);
    ManagedChannel channel = ManagedChannelBuilder.forTarget(member.clientAddress())
        .usePlaintext().build();
    try {
      CompletableFuture<List<String>> names = new CompletableFuture<>();
      StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
          .serverReflectionInfo(new StreamObserver<>() {
            @Override
            public void onNext(ServerReflectionResponse response) {
              names.complete(response.getListServicesResponse().getServiceList().stream()
                  .map(ServiceResponse::getName).toList());
            }

            @Override
            public void onError(Throwable t) {
              names.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
            }
          });
      requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
      assertThat(names.get(10, TimeUnit.SECONDS)).contains("coord.v1.KV", "coord.v1.Cluster",
          "coord.v1.Maintenance", "grpc.health.v1.Health",
          "grpc.reflection.v1.ServerReflection");
      requests.onCompleted();
      assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.newBuilder().setService("coord.v1.KV").build())
          .getStatus()).isEqualTo(ServingStatus.SERVING);
    } finally {
      channel.shutdownNow();
    }
  }

  private static ServingStatus grpcHealth(CoordTestCluster.Member member) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(member.clientAddress())
        .usePlaintext().build();
    try {
      return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance()).getStatus();
    } finally {
      channel.shutdownNow();
    }
  }

  private static HttpResponse<String> get(CoordTestCluster.Member member, String path)
      throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://"
        + member.server().httpAddress() + path)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static final Pattern SAMPLE = Pattern.compile(
      "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})? (-?[0-9.eE+-]+|NaN|[+-]Inf)( -?[0-9]+)?");
  private static final Pattern COMMENT = Pattern.compile(
      "# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]*"
          + " (counter|gauge|histogram|summary|info|unknown|untyped))");

  /**
   * Parses /metrics strictly as the Prometheus text format; returns every sample by its name
   * with labels sorted ({@code name{a="1",b="2"}}).
   */
  private static Map<String, Double> scrape(CoordTestCluster.Member member) throws Exception {
    HttpResponse<String> response = get(member, "/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElse(""))
        .startsWith("text/plain");
    Map<String, Double> samples = new HashMap<>();
    for (String line : response.body().split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        assertThat(line).as("comment line").matches(COMMENT);
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("sample line: " + line).isTrue();
      String labels = m.group(2) == null ? "" : sortedLabels(m.group(2));
      samples.put(m.group(1) + labels, Double.parseDouble(m.group(3)
          .replace("+Inf", "Infinity").replace("-Inf", "-Infinity")));
    }
    return samples;
  }

  private static String sortedLabels(String braces) {
    List<String> pairs = new ArrayList<>();
    Matcher pair = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"")
        .matcher(braces);
    while (pair.find()) {
      pairs.add(pair.group(1) + "=\"" + pair.group(2) + "\"");
    }
    pairs.sort(null);
    return "{" + String.join(",", pairs) + "}";
  }
}
