package io.coord.cli.member;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord member remove NAME}. */
@Command(name = "remove", aliases = "rm", description = {
    "Removes a member; it stops serving (a standalone server exits). Removing the leader"
        + " first moves leadership to the most up-to-date voter. Refused when the voters the"
        + " leader hears from would no longer be a majority (the error names them). Wipe the"
        + " member's data directory before it joins again.",
    "Simple output: 'removed NAME'."})
final class MemberRemoveCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The member to remove.")
  String name;

  @Override
  protected void run(CoordClient client, Output out) {
    client.cluster().removeMember(name);
    switch (out.format()) {
      case JSON -> out.json(Json.object().put("name", name).put("removed", true));
      case TABLE -> out.table(new AsciiTable("NAME", "REMOVED").row(name, true));
      case SIMPLE -> out.line("removed " + name);
    }
  }
}
