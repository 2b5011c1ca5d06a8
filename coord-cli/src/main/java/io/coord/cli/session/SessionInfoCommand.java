package io.coord.cli.session;

import io.coord.cli.ClientCall;
import io.coord.cli.Durations;
import io.coord.client.CoordClient;
import io.coord.client.session.EndedSession;
import io.coord.client.session.SessionInfo;
import io.coord.client.session.SessionStatus;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord session info ID}. */
@Command(name = "info", description = {
    "Describes session ID: if live, its TTL, the time left before the leader expires it and"
        + " its keys; if it ended recently, why (TTL_EXPIRED, REVOKED), when, and the revision"
        + " that deleted its keys. Exits 1 for a session the cluster does not know."})
final class SessionInfoCommand extends ClientCall {
  @Parameters(paramLabel = "ID", description = "The session id.")
  long id;

  @Option(names = "--keys", description = "Also list the attached keys.")
  boolean keys;

  @Override
  protected int run(CoordClient client, PrintWriter out) {
    SessionStatus status = client.sessions().timeToLive(id, keys);
    if (status.live().isPresent()) {
      SessionInfo s = status.live().get();
      out.println("session " + id + ": live, TTL " + Durations.format(s.ttl()) + ", "
          + s.remaining().map(r -> Durations.format(r) + " left").orElse("time left unknown"
              + " (no leader answered)")
          + ", " + s.keyCount() + (s.keyCount() == 1 ? " key" : " keys")
          + ", granted " + s.grantedAt() + " at revision " + s.grantedRevision());
      s.keys().forEach(k -> out.println("  " + k.toStringUtf8()));
    } else {
      EndedSession e = status.ended().orElseThrow();
      out.println("session " + id + ": ended (" + e.reason() + ") at " + e.endedAt()
          + ", revision " + e.revision() + ", " + e.keysDeleted()
          + (e.keysDeleted() == 1 ? " key" : " keys") + " deleted; TTL "
          + Durations.format(e.ttl()) + ", granted " + e.grantedAt());
    }
    return 0;
  }
}
