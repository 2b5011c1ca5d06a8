package io.coord.cli.session;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Durations;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.cli.OutputFormat;
import io.coord.client.CoordClient;
import io.coord.client.session.KeepAliveResult;
import io.coord.client.session.Session;
import io.coord.client.session.SessionLoss;
import io.coord.client.session.SessionState;
import java.time.Duration;
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
final class SessionKeepAliveCommand extends ClientCommand {
  @Parameters(paramLabel = "ID", description = "The session id.")
  long id;

  @Option(names = "--once", description = "Send one keep-alive and exit.")
  boolean once;

  @Override
  protected void run(CoordClient client, Output out) {
    if (once) {
      KeepAliveResult result = client.sessions().keepAliveOnce(id);
      if (!result.alive()) {
        throw new IllegalStateException("session " + id + " does not exist" + result.end()
            .map(e -> ": it ended (" + e.reason() + ") at revision " + e.revision()).orElse(""));
      }
      switch (out.format()) {
        case JSON -> out.json(Json.object().put("id", id).put("ttl", result.ttl().toSeconds()));
        case TABLE -> out.table(new AsciiTable("ID", "TTL")
            .row(id, Durations.format(result.ttl())));
        case SIMPLE -> out.line("session " + id + " kept alive, TTL "
            + Durations.format(result.ttl()));
      }
      return;
    }
    boolean json = out.format() == OutputFormat.JSON;
    Session session = client.sessions().adopt(id);
    session.addListener((s, state) -> {
      if (json && state == SessionState.LOST) {
        return; // The last line reports the loss with its reason.
      }
      print(out, json ? event(state, s.ttl(), null)
          : Instant.now() + " session " + id + " " + state
              + (state.isConnected() ? " (TTL " + Durations.format(s.ttl()) + ")" : ""));
    });
    print(out, json ? event(session.state(), session.ttl(), null)
        : Instant.now() + " session " + id + " " + session.state() + " (TTL "
            + Durations.format(session.ttl()) + ")");
    SessionLoss loss = session.lost().join();
    print(out, json ? event(SessionState.LOST, Duration.ZERO, loss)
        : "session " + id + " lost: " + loss.reason() + ": " + loss.message());
    exitCode(1);
  }

  private Json event(SessionState state, Duration ttl, SessionLoss loss) {
    return Json.object()
        .put("id", id)
        .put("state", state.name())
        .put("ttl", state.isConnected() ? ttl.toSeconds() : 0)
        .put("at", Instant.now().toString())
        .put("loss", loss == null ? null
            : Json.object().put("reason", loss.reason().name()).put("message", loss.message()));
  }

  private static void print(Output out, Object line) {
    synchronized (out) {
      out.line(line);
      out.flush();
    }
  }
}
