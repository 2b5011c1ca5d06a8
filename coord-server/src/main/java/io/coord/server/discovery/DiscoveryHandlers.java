package io.coord.server.discovery;

import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.statemachine.CoordStateMachine;

/** Binds the discovery commands to the dispatcher. */
public final class DiscoveryHandlers {
  private DiscoveryHandlers() {}

  public static void register(CoordStateMachine stateMachine, InstanceStore store) {
    stateMachine.register(Command.KindCase.REGISTER_INSTANCE, (context, command) ->
        CommandResult.newBuilder().setRegisterInstance(
            store.register(context, command.getRegisterInstance())));
    stateMachine.register(Command.KindCase.DEREGISTER_INSTANCE, (context, command) ->
        CommandResult.newBuilder().setDeregisterInstance(
            store.deregister(context, command.getDeregisterInstance())));
    stateMachine.register(Command.KindCase.CHECK_RESULTS, (context, command) ->
        CommandResult.newBuilder().setCheckResults(
            store.checkResults(context, command.getCheckResults())));
    stateMachine.register(Command.KindCase.DEREGISTER_CRITICAL, (context, command) ->
        CommandResult.newBuilder().setDeregisterCritical(
            store.deregisterCritical(context, command.getDeregisterCritical())));
  }
}
