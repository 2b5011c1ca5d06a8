package io.coord.cli.service;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.discovery.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord service get NAME}. */
@Command(name = "get", description = {
    "Shows the instances of service NAME, sorted by id: ID, ADDRESS, PORT, STATUS (PASSING,"
        + " WARNING or CRITICAL), WEIGHT, TAGS, SESSION, CHECKS (name=status); '-' for"
        + " none."})
final class ServiceGetCommand extends ClientCommand {
  @Parameters(paramLabel = "NAME", description = "The service.")
  String service;

  @Option(names = "--healthy", description = "Only instances that are passing or warning.")
  boolean healthy;

  @Option(names = "--tag", paramLabel = "TAG",
      description = "Only instances with this tag (repeatable: all must match).")
  List<String> tags = new ArrayList<>();

  @Override
  protected void run(CoordClient client, Output out) {
    List<ServiceInstance> instances = client.discovery().lookup(service, healthy,
        tags.toArray(String[]::new));
    switch (out.format()) {
      case JSON -> out.json(Json.object().put("service", service)
          .putList("instances", instances, ServiceText::json));
      case TABLE -> {
        AsciiTable table = new AsciiTable(ServiceText.COLUMNS);
        instances.forEach(i -> table.row((Object[]) ServiceText.cells(i)));
        out.table(table);
      }
      case SIMPLE -> instances.forEach(i -> out.line(String.join(" ", ServiceText.cells(i))));
    }
  }
}
