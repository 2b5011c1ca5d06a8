package io.coord.cli.cluster;

import io.coord.cli.ClientCall;
import io.coord.client.CoordClient;
import io.coord.client.cluster.ClusterHealth;
import io.coord.client.cluster.MemberStatus;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/** {@code coord cluster health}. */
@Command(name = "health", description = {
    "Shows each member's role, last contact with the leader, replication lag and health, as"
        + " the leader sees them. A member that stopped answering is reported unhealthy within"
        + " two election timeouts.",
    "Exits 0 when every member is healthy, 1 otherwise."})
public final class ClusterHealthCommand extends ClientCall {
  @Override
  protected int run(CoordClient client, PrintWriter out) {
    ClusterHealth health = client.cluster().health();
    out.printf("%-10s %-10s %-14s %-10s %s%n", "MEMBER", "ROLE", "LAST CONTACT", "LAG",
        "HEALTH");
    for (MemberStatus m : health.members()) {
      out.printf("%-10s %-10s %-14s %-10s %s%n", m.member().name(),
          m.role().equals("ROLE_UNKNOWN") ? "UNKNOWN" : m.role(),
          m.lastContactMs() < 0 ? "?" : m.lastContactMs() + "ms",
          m.lagEntries() < 0 ? "?" : Long.toString(m.lagEntries()),
          m.healthy() ? "healthy" : "unhealthy: " + m.reason());
    }
    long bad = health.unhealthy().size();
    out.println(health.healthy() ? "cluster is healthy"
        : "cluster is unhealthy: " + bad + " of " + health.members().size()
            + " members unhealthy");
    return health.healthy() ? 0 : 1;
  }
}
