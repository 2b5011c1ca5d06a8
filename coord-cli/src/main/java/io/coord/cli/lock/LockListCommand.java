package io.coord.cli.lock;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.lock.LockInfo;
import java.util.List;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord lock ls [PREFIX]}. */
@Command(name = "ls", description = {
    "Lists the locks that are held or waited for (whose name starts with PREFIX).",
    "Simple output, one lock per line: NAME KIND HOLDERS WAITERS TOKENS (comma-separated)."})
final class LockListCommand extends ClientCommand {
  @Parameters(paramLabel = "PREFIX", arity = "0..1", defaultValue = "",
      description = "Only locks whose name starts with this.")
  String prefix;

  @Override
  protected void run(CoordClient client, Output out) {
    List<LockInfo> locks = client.locks().list(prefix);
    switch (out.format()) {
      case JSON -> out.json(Json.object().putList("locks", locks, l ->
          LockInspectCommand.json(l.name(), l)));
      case TABLE -> {
        AsciiTable table = new AsciiTable("NAME", "KIND", "HOLDERS", "WAITERS", "TOKENS");
        locks.forEach(l -> table.row(l.name(), l.kind(), l.holders().size(), l.waiterCount(),
            tokens(l)));
        out.table(table);
      }
      case SIMPLE -> locks.forEach(l -> out.line(l.name() + " " + l.kind() + " "
          + l.holders().size() + " " + l.waiterCount() + " " + tokens(l)));
    }
  }

  private static String tokens(LockInfo info) {
    return info.holders().stream().map(h -> Long.toString(h.token()))
        .collect(Collectors.joining(","));
  }

}
