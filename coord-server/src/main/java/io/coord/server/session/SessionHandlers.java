package io.coord.server.session;

import io.coord.proto.v1.EndedSession;
import io.coord.proto.v1.ResponseHeader;
import io.coord.proto.v1.SessionEndReason;
import io.coord.proto.v1.SessionRevokeResponse;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.ExpireSessions;
import io.coord.server.command.ExpireSessionsResult;
import io.coord.server.statemachine.CoordStateMachine;

/** Binds the session commands (grant, revoke, expire) to the dispatcher. */
public final class SessionHandlers {
  private SessionHandlers() {}

  public static void register(CoordStateMachine stateMachine, SessionStore store) {
    stateMachine.register(Command.KindCase.GRANT_SESSION, (context, command) ->
        CommandResult.newBuilder().setGrantSession(
            store.grant(context, command.getGrantSession().getTtlMs())));

    stateMachine.register(Command.KindCase.REVOKE_SESSION, (context, command) -> {
      long id = command.getRevokeSession().getId();
      EndedSession end = store.end(context, id, SessionEndReason.REVOKED)
          .orElseThrow(() -> SessionStore.notFound(context.txn(), id));
      return CommandResult.newBuilder().setRevokeSession(SessionRevokeResponse.newBuilder()
          .setHeader(ResponseHeader.newBuilder().setRevision(end.getRevision()))
          .setKeysDeleted(end.getKeysDeleted()));
    });

    stateMachine.register(Command.KindCase.EXPIRE_SESSIONS, (context, command) -> {
      ExpireSessions expire = command.getExpireSessions();
      ExpireSessionsResult.Builder result = ExpireSessionsResult.newBuilder();
      // Only the leader that appended this entry may decide expiry in it: a proposal of a
      // deposed leader, carried over to its successor, was decided on keep-alives the
      // successor may have renewed since.
      if (expire.getTerm() != context.term()) {
        return CommandResult.newBuilder().setExpireSessions(result.setStale(true));
      }
      for (long id : expire.getIdsList()) {
        store.end(context, id, expire.getReason()).ifPresent(end -> result.addExpired(id));
      }
      return CommandResult.newBuilder().setExpireSessions(result);
    });
  }
}
