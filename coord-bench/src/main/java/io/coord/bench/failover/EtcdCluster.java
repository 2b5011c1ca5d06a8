package io.coord.bench.failover;

import io.etcd.jetcd.Client;
import io.etcd.jetcd.maintenance.StatusResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 3-member etcd cluster (Debian's {@code etcd}, every flag at its default but the addresses,
 * as in the comparison), with the leader found through each member's Status.
 */
public final class EtcdCluster extends ProcessCluster {
  private static final List<String> NAMES = List.of("e1", "e2", "e3");

  private final int base;
  private final Client client;

  private EtcdCluster() throws IOException {
    super("coord-bench-etcd-");
    this.base = FreePorts.base(27_700, 1, 2, 3, 11, 12, 13);
    this.client = Client.builder().endpoints(endpoints().stream().map(e -> "http://" + e)
        .toArray(String[]::new)).build();
  }

  /** Starts the members and waits (up to a minute) until one leads. */
  public static EtcdCluster start() throws Exception {
    EtcdCluster cluster = new EtcdCluster();
    try {
      cluster.startAll(NAMES, 60_000);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  @Override
  public String system() {
    return "etcd";
  }

  @Override
  public List<String> endpoints() {
    List<String> endpoints = new ArrayList<>();
    for (int n = 1; n <= NAMES.size(); n++) {
      endpoints.add("127.0.0.1:" + (base + n));
    }
    return endpoints;
  }

  @Override
  List<String> command(String name) {
    int n = NAMES.indexOf(name) + 1;
    StringBuilder initial = new StringBuilder();
    for (int i = 1; i <= NAMES.size(); i++) {
      initial.append(i > 1 ? "," : "").append(NAMES.get(i - 1)).append("=http://127.0.0.1:")
          .append(base + 10 + i);
    }
    String clientUrl = "http://127.0.0.1:" + (base + n);
    String peerUrl = "http://127.0.0.1:" + (base + 10 + n);
    return List.of("etcd", "--name", name, "--data-dir", dir.resolve(name).toString(),
        "--listen-client-urls", clientUrl, "--advertise-client-urls", clientUrl,
        "--listen-peer-urls", peerUrl, "--initial-advertise-peer-urls", peerUrl,
        "--initial-cluster", initial.toString(), "--initial-cluster-token", "failover",
        "--initial-cluster-state", "new", "--logger", "zap", "--log-level", "warn");
  }

  /** Each member's status, or null for one that does not answer. */
  private List<StatusResponse> statuses() {
    List<StatusResponse> statuses = new ArrayList<>();
    for (String endpoint : endpoints()) {
      try {
        statuses.add(client.getMaintenanceClient().statusMember("http://" + endpoint)
            .get(2, TimeUnit.SECONDS));
      } catch (Exception unreachable) {
        statuses.add(null);
      }
    }
    return statuses;
  }

  @Override
  boolean healthy() {
    List<StatusResponse> statuses = statuses();
    return statuses.stream().allMatch(s -> s != null && s.getLeader() != 0)
        && statuses.stream().map(StatusResponse::getLeader).distinct().count() == 1;
  }

  @Override
  public String awaitLeader(long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      List<StatusResponse> statuses = statuses();
      for (int i = 0; i < statuses.size(); i++) {
        StatusResponse s = statuses.get(i);
        if (s != null && s.getLeader() != 0 && s.getLeader() == s.getHeader().getMemberId()) {
          return NAMES.get(i);
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no etcd leader within " + timeoutMs + " ms");
  }

  @Override
  public void close() {
    client.close();
    super.close();
  }
}
