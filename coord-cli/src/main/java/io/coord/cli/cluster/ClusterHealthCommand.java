package io.coord.cli.cluster;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.cluster.ClusterHealth;
import io.coord.client.cluster.MemberStatus;
import picocli.CommandLine.Command;

/** {@code coord cluster health}. */
@Command(name = "health", description = {
    "Shows each member's role, last contact with the leader, replication lag and health, as"
        + " the leader sees them. A member that stopped answering is reported unhealthy within"
        + " two election timeouts.",
    "Exits 0 when every member is healthy, 1 otherwise (the report is printed either way)."})
public final class ClusterHealthCommand extends ClientCommand {
  private static final String[] COLUMNS = {"MEMBER", "ROLE", "LAST CONTACT", "LAG", "HEALTH"};

  @Override
  protected void run(CoordClient client, Output out) {
    ClusterHealth health = client.cluster().health();
    switch (out.format()) {
      case JSON -> out.json(Json.object().put("healthy", health.healthy())
          .putList("members", health.members(), ClusterStatusCommand::json));
      case TABLE -> {
        AsciiTable table = new AsciiTable(COLUMNS);
        health.members().forEach(m -> table.row((Object[]) cells(m)));
        out.table(table);
      }
      case SIMPLE -> {
        out.line(String.format("%-10s %-10s %-14s %-10s %s", (Object[]) COLUMNS));
        for (MemberStatus m : health.members()) {
          out.line(String.format("%-10s %-10s %-14s %-10s %s", (Object[]) cells(m)));
        }
        long bad = health.unhealthy().size();
        out.line(health.healthy() ? "cluster is healthy"
            : "cluster is unhealthy: " + bad + " of " + health.members().size()
                + " members unhealthy");
      }
    }
    exitCode(health.healthy() ? 0 : 1);
  }

  private static String[] cells(MemberStatus m) {
    return new String[] {m.member().name(), ClusterStatusCommand.role(m),
        m.lastContactMs() < 0 ? "?" : m.lastContactMs() + "ms",
        m.lagEntries() < 0 ? "?" : Long.toString(m.lagEntries()),
        m.healthy() ? "healthy" : "unhealthy: " + m.reason()};
  }
}
