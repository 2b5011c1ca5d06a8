package io.coord.cli.session;

import io.coord.cli.ClientCall;
import io.coord.cli.Durations;
import io.coord.client.CoordClient;
import io.coord.client.session.EndedSession;
import io.coord.client.session.SessionInfo;
import io.coord.client.session.SessionList;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord session ls}. */
@Command(name = "ls", description = {
    "Lists live sessions: ID, TTL, REMAINING (as the leader sees it; ? when no leader"
        + " answered), KEYS, GRANTED.",
    "With --ended, also the recently ended ones: ID, REASON, REVISION, KEYS DELETED, ENDED."})
final class SessionListCommand extends ClientCall {
  @Option(names = "--ended", description = "Also list recently ended sessions.")
  boolean ended;

  @Override
  protected int run(CoordClient client, PrintWriter out) {
    SessionList list = client.sessions().list(ended);
    out.printf("%-10s %-8s %-10s %-6s %s%n", "ID", "TTL", "REMAINING", "KEYS", "GRANTED");
    for (SessionInfo s : list.live()) {
      out.printf("%-10d %-8s %-10s %-6d %s%n", s.id(), Durations.format(s.ttl()),
          s.remaining().map(Durations::format).orElse("?"), s.keyCount(), s.grantedAt());
    }
    if (ended) {
      out.println();
      out.printf("%-10s %-12s %-10s %-6s %s%n", "ID", "REASON", "REVISION", "KEYS", "ENDED");
      for (EndedSession e : list.ended()) {
        out.printf("%-10d %-12s %-10d %-6d %s%n", e.id(), e.reason(), e.revision(),
            e.keysDeleted(), e.endedAt());
      }
    }
    return 0;
  }
}
