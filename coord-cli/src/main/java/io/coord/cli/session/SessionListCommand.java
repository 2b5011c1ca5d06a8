package io.coord.cli.session;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Durations;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.session.EndedSession;
import io.coord.client.session.SessionInfo;
import io.coord.client.session.SessionList;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord session ls}. */
@Command(name = "ls", description = {
    "Lists live sessions: ID, TTL, REMAINING (as the leader sees it; ? when no leader"
        + " answered), KEYS, GRANTED.",
    "With --ended, also the recently ended ones: ID, REASON, REVISION, KEYS DELETED, ENDED."})
final class SessionListCommand extends ClientCommand {
  @Option(names = "--ended", description = "Also list recently ended sessions.")
  boolean ended;

  @Override
  protected void run(CoordClient client, Output out) {
    SessionList list = client.sessions().list(ended);
    switch (out.format()) {
      case JSON -> out.json(Json.object()
          .putList("live", list.live(), s -> SessionJson.live(s, out))
          .putList("ended", ended ? list.ended() : java.util.List.<EndedSession>of(),
              SessionJson::ended));
      case TABLE -> {
        AsciiTable live = new AsciiTable("ID", "TTL", "REMAINING", "KEYS", "GRANTED");
        list.live().forEach(s -> live.row(s.id(), Durations.format(s.ttl()), remaining(s),
            s.keyCount(), s.grantedAt()));
        out.table(live);
        if (ended) {
          AsciiTable gone = new AsciiTable("ID", "REASON", "REVISION", "KEYS DELETED", "ENDED");
          list.ended().forEach(e -> gone.row(e.id(), e.reason(), e.revision(), e.keysDeleted(),
              e.endedAt()));
          out.table(gone);
        }
      }
      case SIMPLE -> {
        out.line(String.format("%-10s %-8s %-10s %-6s %s", "ID", "TTL", "REMAINING", "KEYS",
            "GRANTED"));
        for (SessionInfo s : list.live()) {
          out.line(String.format("%-10d %-8s %-10s %-6d %s", s.id(), Durations.format(s.ttl()),
              remaining(s), s.keyCount(), s.grantedAt()));
        }
        if (ended) {
          out.line("");
          out.line(String.format("%-10s %-12s %-10s %-6s %s", "ID", "REASON", "REVISION", "KEYS",
              "ENDED"));
          for (EndedSession e : list.ended()) {
            out.line(String.format("%-10d %-12s %-10d %-6d %s", e.id(), e.reason(),
                e.revision(), e.keysDeleted(), e.endedAt()));
          }
        }
      }
    }
  }

  private static String remaining(SessionInfo s) {
    return s.remaining().map(Durations::format).orElse("?");
  }
}
