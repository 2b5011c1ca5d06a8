package io.coord.cli.member;

import io.coord.cli.AsciiTable;
import io.coord.cli.ClientCommand;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.cluster.Member;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord member add NAME PEER_ADDR [--learner]}. */
@Command(name = "add", description = {
    "Adds a member to the cluster and waits until the change is committed.",
    "Start the new member first, empty, with coord.cluster.initial-state=existing and"
        + " coord.cluster.initial-members listing the current members and itself (if it is"
        + " not running, the error prints that configuration). With --learner it joins"
        + " without a vote; promote it once it caught up ('coord cluster status' shows its"
        + " lag). Without it, it becomes a voter as soon as it caught up.",
    "Simple output: 'added NAME as learner|voter at PEER_ADDR' and the next step."})
final class MemberAddCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "NAME", description = "The new member's coord.name.")
  String name;

  @Parameters(index = "1", paramLabel = "PEER_ADDR",
      description = "host:port of the new member's Raft transport.")
  String peerAddress;

  @Option(names = "--learner", description = "Join as a non-voting learner.")
  boolean learner;

  @Override
  protected void run(CoordClient client, Output out) {
    Member member = client.cluster().addMember(name, peerAddress, learner);
    switch (out.format()) {
      case JSON -> out.json(MemberListCommand.json(member, 0));
      case TABLE -> {
        AsciiTable table = new AsciiTable(MemberListCommand.COLUMNS);
        table.row((Object[]) MemberListCommand.cells(member, 0));
        out.table(table);
      }
      case SIMPLE -> {
        out.line("added " + member.name() + " as " + (member.learner() ? "learner" : "voter")
            + " at " + member.peerAddress());
        if (member.learner()) {
          out.line("next: once 'coord cluster status' shows it caught up, run: coord member"
              + " promote " + member.name());
        }
      }
    }
  }
}
