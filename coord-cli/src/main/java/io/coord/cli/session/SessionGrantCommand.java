package io.coord.cli.session;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Durations;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.session.Grant;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord session grant TTL}. */
@Command(name = "grant", description = {
    "Grants a session and prints its id. Nothing keeps it alive: it expires after TTL unless"
        + " kept alive (coord session keepalive ID, or a client adopting it).",
    "The server raises a TTL below its minimum (derived from the election timeout) and says"
        + " so on stderr.",
    "Simple output: 'session ID granted with TTL T'; with -q only the id."})
final class SessionGrantCommand extends ClientCommand {
  @Parameters(paramLabel = "TTL", converter = Durations.class,
      description = "Time to live, e.g. 10 or 10s (whole seconds; rounded up).")
  Duration ttl;

  @Option(names = {"-q", "--quiet"}, description = "Print only the session id (simple output).")
  boolean quiet;

  @Override
  protected void run(CoordClient client, Output out) {
    Grant grant = client.sessions().grantId(ttl);
    switch (out.format()) {
      case JSON -> out.json(Json.object()
          .put("id", grant.id())
          .put("ttl", grant.ttl().toSeconds())
          .put("ttl_adjustment", grant.adjustment().orElse("")));
      case TABLE -> out.table(new AsciiTable("ID", "TTL")
          .row(grant.id(), Durations.format(grant.ttl())));
      case SIMPLE -> out.line(quiet ? Long.toString(grant.id())
          : "session " + grant.id() + " granted with TTL " + Durations.format(grant.ttl()));
    }
    grant.adjustment().ifPresent(note -> {
      progress().println("coord: note: TTL " + note);
      progress().flush();
    });
  }
}
