package io.coord.cli.session;

import io.coord.cli.ClientCall;
import io.coord.cli.Durations;
import io.coord.client.CoordClient;
import io.coord.client.session.KeepAliveResult;
import io.coord.client.session.Session;
import io.coord.client.session.SessionLoss;
import java.io.PrintWriter;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord session keepalive ID}. */
@Command(name = "keepalive", description = {
    "Keeps session ID alive in the foreground, printing each state change (CONNECTED,"
        + " SUSPENDED, RECONNECTED, LOST), until the session is lost (exit 1) or the command is"
        + " interrupted (the session is not revoked: it expires after its TTL).",
    "With --once, sends one keep-alive and prints the TTL."})
final class SessionKeepAliveCommand extends ClientCall {
  @Parameters(paramLabel = "ID", description = "The session id.")
  long id;

  @Option(names = "--once", description = "Send one keep-alive and exit.")
  boolean once;

  @Override
  protected int run(CoordClient client, PrintWriter out) throws InterruptedException {
    if (once) {
      KeepAliveResult result = client.sessions().keepAliveOnce(id);
      if (!result.alive()) {
        throw new IllegalStateException("session " + id + " does not exist" + result.end()
            .map(e -> ": it ended (" + e.reason() + ") at revision " + e.revision()).orElse(""));
      }
      out.println("session " + id + " kept alive, TTL " + Durations.format(result.ttl()));
      return 0;
    }
    Session session = client.sessions().adopt(id);
    session.addListener((s, state) -> {
      synchronized (out) {
        out.println(Instant.now() + " session " + id + " " + state
            + (state.isConnected() ? " (TTL " + Durations.format(s.ttl()) + ")" : ""));
        out.flush();
      }
    });
    out.println(Instant.now() + " session " + id + " " + session.state() + " (TTL "
        + Durations.format(session.ttl()) + ")");
    out.flush();
    SessionLoss loss = session.lost().join();
    synchronized (out) {
      out.println("session " + id + " lost: " + loss.reason() + ": " + loss.message());
      out.flush();
    }
    return 1;
  }
}
