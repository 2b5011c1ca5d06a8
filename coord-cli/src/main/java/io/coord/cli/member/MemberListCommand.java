package io.coord.cli.member;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.IdConverter;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.cluster.ClusterClient.MemberList;
import io.coord.client.cluster.Member;
import picocli.CommandLine.Command;

/** {@code coord member list}. */
@Command(name = "list", aliases = "ls", description = {
    "Lists the members as the answering member knows the Raft configuration.",
    "Simple output, one member per line: ID, NAME, PEER ADDR, CLIENT ADDR, HTTP ADDR,"
        + " LEARNER, LEADER. IDs print as 16 hex digits (JSON also has them as numbers)."})
final class MemberListCommand extends ClientCommand {
  static final String[] COLUMNS =
      {"ID", "NAME", "PEER ADDR", "CLIENT ADDR", "HTTP ADDR", "LEARNER", "LEADER"};

  @Override
  protected void run(CoordClient client, Output out) {
    MemberList list = client.cluster().members();
    switch (out.format()) {
      case JSON -> out.json(Json.object()
          .put("leader_id", list.leaderId())
          .putList("members", list.members(), m -> json(m, list.leaderId())));
      case TABLE -> {
        AsciiTable table = new AsciiTable(COLUMNS);
        list.members().forEach(m -> table.row((Object[]) cells(m, list.leaderId())));
        out.table(table);
      }
      case SIMPLE -> list.members().forEach(m ->
          out.line(String.join(", ", cells(m, list.leaderId()))));
    }
  }

  static String[] cells(Member m, long leaderId) {
    return new String[] {IdConverter.hex(m.id()), m.name(), m.peerAddress(), m.clientAddress(),
        m.httpAddress(), String.valueOf(m.learner()), String.valueOf(m.id() == leaderId)};
  }

  static Json json(Member m, long leaderId) {
    return Json.object()
        .put("id", m.id())
        .put("id_hex", IdConverter.hex(m.id()))
        .put("name", m.name())
        .put("peer_address", m.peerAddress())
        .put("client_address", m.clientAddress())
        .put("http_address", m.httpAddress())
        .put("is_learner", m.learner())
        .put("is_leader", m.id() == leaderId);
  }
}
