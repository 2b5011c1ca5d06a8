package io.coord.cli.cluster;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.IdConverter;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.cluster.MemberStatus;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code coord cluster status}. */
@Command(name = "status", description = {
    "Shows every member's Raft role, term, log indexes, revision, store size and health, as"
        + " the leader sees them (members that do not answer are listed as unhealthy).",
    "Simple output, one member per line: NAME, ID, HTTP ADDR, ROLE, TERM, COMMIT, APPLIED,"
        + " REVISION, DB SIZE, HEALTH, REASON. Exits 0 even when members are unhealthy."})
final class ClusterStatusCommand extends ClientCommand {
  private static final String[] COLUMNS = {"NAME", "ID", "HTTP ADDR", "ROLE", "TERM", "COMMIT",
      "APPLIED", "REVISION", "DB SIZE", "HEALTH", "REASON"};

  @Override
  protected void run(CoordClient client, Output out) {
    List<MemberStatus> members = client.cluster().status();
    switch (out.format()) {
      case JSON -> out.json(Json.object().putList("members", members, ClusterStatusCommand::json));
      case TABLE -> {
        AsciiTable table = new AsciiTable(COLUMNS);
        members.forEach(m -> table.row((Object[]) cells(m)));
        out.table(table);
      }
      case SIMPLE -> members.forEach(m -> out.line(String.join(", ", cells(m))));
    }
  }

  private static String[] cells(MemberStatus s) {
    return new String[] {s.member().name(), IdConverter.hex(s.member().id()),
        s.member().httpAddress(), role(s),
        String.valueOf(s.raftTerm()), String.valueOf(s.commitIndex()),
        String.valueOf(s.appliedIndex()), String.valueOf(s.revision()),
        Sizes.human(s.dbSizeBytes()), s.healthy() ? "healthy" : "unhealthy", s.reason()};
  }

  static Json json(MemberStatus s) {
    return Json.object()
        .put("id", s.member().id())
        .put("id_hex", IdConverter.hex(s.member().id()))
        .put("name", s.member().name())
        .put("peer_address", s.member().peerAddress())
        .put("client_address", s.member().clientAddress())
        .put("http_address", s.member().httpAddress())
        .put("role", role(s))
        .put("raft_term", s.raftTerm())
        .put("leader_id", s.leaderId())
        .put("commit_index", s.commitIndex())
        .put("applied_index", s.appliedIndex())
        .put("revision", s.revision())
        .put("compact_revision", s.compactRevision())
        .put("db_size_bytes", s.dbSizeBytes())
        .put("raft_log_size_bytes", s.raftLogSizeBytes())
        .put("last_contact_ms", s.lastContactMs())
        .put("lag_entries", s.lagEntries())
        .put("healthy", s.healthy())
        .put("reason", s.reason())
        .put("version", s.version());
  }

  /** LEADER, FOLLOWER, CANDIDATE, LEARNER or UNKNOWN. */
  static String role(MemberStatus s) {
    return s.role().equals("ROLE_UNKNOWN") || s.role().isEmpty() ? "UNKNOWN" : s.role();
  }
}
