package io.coord.cli.service;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.discovery.ServiceSummary;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code coord service ls}. */
@Command(name = "ls", aliases = "list", description = {
    "Lists the services that have instances: NAME, INSTANCES, HEALTHY (passing or warning),"
        + " TAGS (of any instance)."})
final class ServiceListCommand extends ClientCommand {
  @Override
  protected void run(CoordClient client, Output out) {
    List<ServiceSummary> services = client.discovery().listServices();
    switch (out.format()) {
      case JSON -> out.json(Json.object().putList("services", services, s -> Json.object()
          .put("name", s.name()).put("instances", s.instances()).put("healthy", s.healthy())
          .put("tags", s.tags())));
      case TABLE -> {
        AsciiTable table = new AsciiTable("NAME", "INSTANCES", "HEALTHY", "TAGS");
        services.forEach(s -> table.row(s.name(), s.instances(), s.healthy(),
            String.join(",", s.tags())));
        out.table(table);
      }
      case SIMPLE -> services.forEach(s -> out.line(s.name() + " " + s.instances() + " "
          + s.healthy() + (s.tags().isEmpty() ? "" : " " + String.join(",", s.tags()))));
    }
  }
}
