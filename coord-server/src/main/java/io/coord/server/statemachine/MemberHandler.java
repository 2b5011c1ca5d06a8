package io.coord.server.statemachine;

import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.Empty;
import io.coord.server.storage.ColumnFamily;
import java.nio.charset.StandardCharsets;

/** Records the client-facing addresses a member publishes about itself. */
public final class MemberHandler {
  private MemberHandler() {}

  public static void register(CoordStateMachine stateMachine) {
    stateMachine.register(Command.KindCase.PUBLISH_MEMBER, (context, command) -> {
      var published = command.getPublishMember();
      context.txn().put(ColumnFamily.MEMBERS,
          published.getName().getBytes(StandardCharsets.UTF_8), published.toByteArray());
      return CommandResult.newBuilder().setDone(Empty.getDefaultInstance());
    });
  }
}
