package io.coord.cli.session;

import io.coord.cli.ClientCall;
import io.coord.cli.Durations;
import io.coord.client.CoordClient;
import io.coord.client.session.Grant;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord session grant TTL}. */
@Command(name = "grant", description = {
    "Grants a session and prints its id. Nothing keeps it alive: it expires after TTL unless"
        + " kept alive (coord session keepalive ID, or a client adopting it).",
    "The server raises a TTL below its minimum (derived from the election timeout) and says"
        + " so on stderr."})
final class SessionGrantCommand extends ClientCall {
  @Parameters(paramLabel = "TTL", converter = Durations.class,
      description = "Time to live, e.g. 10 or 10s (whole seconds; rounded up).")
  Duration ttl;

  @Option(names = {"-q", "--quiet"}, description = "Print only the session id.")
  boolean quiet;

  @Override
  protected int run(CoordClient client, PrintWriter out) {
    Grant grant = client.sessions().grantId(ttl);
    if (quiet) {
      out.println(grant.id());
    } else {
      out.println("session " + grant.id() + " granted with TTL "
          + Durations.format(grant.ttl()));
    }
    grant.adjustment().ifPresent(note -> {
      spec.commandLine().getErr().println("coord: note: TTL " + note);
      spec.commandLine().getErr().flush();
    });
    return 0;
  }
}
