package io.coord.server.election;

import io.coord.proto.v1.ProclaimRequest;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.lock.LockTable;
import io.coord.server.statemachine.CoordStateMachine;

/**
 * Binds the election commands to the dispatcher: a campaign is an acquire of a mutex of the
 * election space that waits, a resignation a release, a proclamation a new value of the holder.
 */
public final class ElectionHandlers {
  private ElectionHandlers() {}

  public static void register(CoordStateMachine stateMachine, LockTable elections) {
    stateMachine.register(Command.KindCase.CAMPAIGN, (context, command) ->
        CommandResult.newBuilder().setCampaign(elections.acquire(context,
            command.getCampaign())));
    stateMachine.register(Command.KindCase.RESIGN, (context, command) ->
        CommandResult.newBuilder().setResign(elections.release(context, command.getResign())));
    stateMachine.register(Command.KindCase.PROCLAIM, (context, command) -> {
      ProclaimRequest request = command.getProclaim();
      return CommandResult.newBuilder().setProclaim(ElectionProjection.leadership(
          request.getName(), elections.publish(context, request.getName(), request.getTerm(),
              request.getValue())));
    });
  }
}
