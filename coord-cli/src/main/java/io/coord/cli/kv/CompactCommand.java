package io.coord.cli.kv;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code coord kv compact REV}. */
@Command(name = "compact", description = {"Discards the history before revision REV.",
    "Reads at older revisions fail afterwards. Prints the compacted revision."})
final class CompactCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "REV", description = "The oldest revision to keep.")
  long revision;

  @Override
  protected void prepare() {
    if (revision <= 0) {
      throw usage("REV must be a positive revision");
    }
  }

  @Override
  protected void run(CoordClient client, Output out) {
    long current = client.kv().compact(revision);
    switch (out.format()) {
      case JSON -> out.json(Json.object().put("compact_revision", revision)
          .put("revision", current));
      case TABLE -> out.table(new AsciiTable("COMPACT REVISION", "REVISION")
          .row(revision, current));
      case SIMPLE -> out.line("compacted revision " + revision);
    }
  }
}
