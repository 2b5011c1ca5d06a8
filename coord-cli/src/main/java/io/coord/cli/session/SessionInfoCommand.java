package io.coord.cli.session;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Durations;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.session.EndedSession;
import io.coord.client.session.SessionInfo;
import io.coord.client.session.SessionStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord session info ID}. */
@Command(name = "info", description = {
    "Describes session ID: if live, its TTL, the time left before the leader expires it and"
        + " its keys; if it ended recently, why (TTL_EXPIRED, REVOKED), when, and the revision"
        + " that deleted its keys. Exits 1 for a session the cluster does not know."})
final class SessionInfoCommand extends ClientCommand {
  @Parameters(paramLabel = "ID", description = "The session id.")
  long id;

  @Option(names = "--keys", description = "Also list the attached keys.")
  boolean keys;

  @Override
  protected void run(CoordClient client, Output out) {
    SessionStatus status = client.sessions().timeToLive(id, keys);
    switch (out.format()) {
      case JSON -> out.json(Json.object()
          .put("id", id)
          .put("live", status.live().map(s -> SessionJson.live(s, out)).orElse(null))
          .put("ended", status.ended().map(SessionJson::ended).orElse(null)));
      case TABLE -> table(status, out);
      case SIMPLE -> simple(status, out);
    }
  }

  private void table(SessionStatus status, Output out) {
    if (status.live().isPresent()) {
      SessionInfo s = status.live().get();
      out.table(new AsciiTable("ID", "STATE", "TTL", "REMAINING", "KEYS", "GRANTED REVISION",
          "GRANTED").row(id, "live", Durations.format(s.ttl()),
              s.remaining().map(Durations::format).orElse("?"), s.keyCount(),
              s.grantedRevision(), s.grantedAt()));
      if (keys) {
        AsciiTable attached = new AsciiTable("KEY");
        s.keys().forEach(k -> attached.row(out.jsonBytes(k)));
        out.table(attached);
      }
    } else {
      EndedSession e = status.ended().orElseThrow();
      out.table(new AsciiTable("ID", "STATE", "REASON", "REVISION", "KEYS DELETED", "TTL",
          "ENDED", "GRANTED").row(id, "ended", e.reason(), e.revision(), e.keysDeleted(),
              Durations.format(e.ttl()), e.endedAt(), e.grantedAt()));
    }
  }

  private void simple(SessionStatus status, Output out) {
    if (status.live().isPresent()) {
      SessionInfo s = status.live().get();
      out.line("session " + id + ": live, TTL " + Durations.format(s.ttl()) + ", "
          + s.remaining().map(r -> Durations.format(r) + " left").orElse("time left unknown"
              + " (no leader answered)")
          + ", " + s.keyCount() + (s.keyCount() == 1 ? " key" : " keys")
          + ", granted " + s.grantedAt() + " at revision " + s.grantedRevision());
      s.keys().forEach(k -> out.line("  " + k.toStringUtf8()));
    } else {
      EndedSession e = status.ended().orElseThrow();
      out.line("session " + id + ": ended (" + e.reason() + ") at " + e.endedAt()
          + ", revision " + e.revision() + ", " + e.keysDeleted()
          + (e.keysDeleted() == 1 ? " key" : " keys") + " deleted; TTL "
          + Durations.format(e.ttl()) + ", granted " + e.grantedAt());
    }
  }
}
