package io.coord.server.lock;

import io.coord.proto.v1.LockBreakRequest;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.statemachine.CoordStateMachine;

/** Binds the lock commands (acquire, release, break) to the dispatcher. */
public final class LockHandlers {
  private LockHandlers() {}

  public static void register(CoordStateMachine stateMachine, LockTable locks) {
    stateMachine.register(Command.KindCase.ACQUIRE_LOCK, (context, command) ->
        CommandResult.newBuilder().setAcquireLock(
            locks.acquire(context, command.getAcquireLock())));
    stateMachine.register(Command.KindCase.RELEASE_LOCK, (context, command) ->
        CommandResult.newBuilder().setReleaseLock(
            locks.release(context, command.getReleaseLock())));
    stateMachine.register(Command.KindCase.BREAK_LOCK, (context, command) -> {
      LockBreakRequest request = command.getBreakLock();
      return CommandResult.newBuilder().setBreakLock(
          locks.breakLock(context, request.getName(), request.getReason()));
    });
  }
}
