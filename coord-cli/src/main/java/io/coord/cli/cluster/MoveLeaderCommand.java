package io.coord.cli.cluster;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.IdConverter;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord cluster move-leader NAME}. */
@Command(name = "move-leader", description = {
    "Moves leadership to the voter NAME (e.g. before maintenance of the current leader) and"
        + " waits until it leads.",
    "Simple output: 'leader is now NAME'."})
final class MoveLeaderCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The voter that should lead.")
  String name;

  @Override
  protected void run(CoordClient client, Output out) {
    long leaderId = client.cluster().transferLeadership(name);
    switch (out.format()) {
      case JSON -> out.json(Json.object().put("leader", name).put("leader_id", leaderId)
          .put("leader_id_hex", IdConverter.hex(leaderId)));
      case TABLE -> out.table(new AsciiTable("LEADER", "ID").row(name,
          IdConverter.hex(leaderId)));
      case SIMPLE -> out.line("leader is now " + name);
    }
  }
}
