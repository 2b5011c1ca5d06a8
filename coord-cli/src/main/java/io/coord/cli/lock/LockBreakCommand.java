package io.coord.cli.lock;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.lock.LockHolder;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord lock break NAME --reason TEXT}. */
@Command(name = "break", description = {
    "For operators: releases every grant of the lock NAME (the next waiters are granted),"
        + " recording REASON (shown by 'coord lock inspect' and logged by every member). The"
        + " holders are not told; their writes guarded by the lock's token are refused.",
    "Simple output: one line per released grant: SESSION TOKEN."})
final class LockBreakCommand extends ClientCommand {
  @Parameters(paramLabel = "NAME", description = "The lock's name.")
  String name;

  @Option(names = "--reason", paramLabel = "TEXT", required = true,
      description = "Why the lock is broken, for the record.")
  String reason;

  @Override
  protected void run(CoordClient client, Output out) {
    List<LockHolder> released = client.locks().breakLock(name, reason);
    switch (out.format()) {
      case JSON -> out.json(Json.object().put("name", name).putList("released", released,
          LockInspectCommand::holder));
      case TABLE -> {
        AsciiTable table = new AsciiTable("SESSION", "TOKEN");
        released.forEach(h -> table.row(h.session(), h.token()));
        out.table(table);
      }
      case SIMPLE -> released.forEach(h -> out.line(h.session() + " " + h.token()));
    }
  }
}
