package io.coord.cli.member;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord member promote NAME}. */
@Command(name = "promote", description = {
    "Makes a learner a voter. Refused while it is behind the leader (the error says by how"
        + " much; coord.cluster.promote-max-lag sets the limit).",
    "Simple output: 'promoted NAME to voter'."})
final class MemberPromoteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The learner to promote.")
  String name;

  @Override
  protected void run(CoordClient client, Output out) {
    client.cluster().promoteMember(name);
    switch (out.format()) {
      case JSON -> out.json(Json.object().put("name", name).put("is_learner", false));
      case TABLE -> out.table(new AsciiTable("NAME", "LEARNER").row(name, false));
      case SIMPLE -> out.line("promoted " + name + " to voter");
    }
  }
}
