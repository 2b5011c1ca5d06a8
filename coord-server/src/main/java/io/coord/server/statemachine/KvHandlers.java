package io.coord.server.statemachine;

import io.coord.proto.v1.ResponseHeader;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.Empty;
import io.coord.server.kv.Compactor;
import io.coord.server.kv.KvCommands;
import io.coord.server.kv.KvWriter;

/** Binds the key-value commands to the dispatcher. */
public final class KvHandlers {
  private KvHandlers() {}

  public static void register(CoordStateMachine stateMachine, KvCommands kv) {
    stateMachine.register(Command.KindCase.PUT, (context, command) -> {
      KvWriter writer = context.newKvWriter();
      var response = kv.put(context.txn(), writer, command.getPut());
      long revision = writer.finish();
      return CommandResult.newBuilder().setPut(response.toBuilder().setHeader(header(revision)));
    });
    stateMachine.register(Command.KindCase.DELETE_RANGE, (context, command) -> {
      KvWriter writer = context.newKvWriter();
      var response = kv.deleteRange(context.txn(), writer, command.getDeleteRange());
      long revision = writer.finish();
      return CommandResult.newBuilder()
          .setDeleteRange(response.toBuilder().setHeader(header(revision)));
    });
    stateMachine.register(Command.KindCase.TXN, (context, command) -> {
      KvWriter writer = context.newKvWriter();
      var response = kv.txn(context.txn(), writer, context.kvMeta(), command.getTxn());
      long revision = writer.finish();
      return CommandResult.newBuilder().setTxn(response.toBuilder().setHeader(header(revision)));
    });
    stateMachine.register(Command.KindCase.COMPACT, (context, command) -> {
      var response = kv.compact(context.txn(), context.kvMeta(), command.getCompact());
      return CommandResult.newBuilder()
          .setCompact(response.toBuilder().setHeader(header(context.kvMeta().revision())));
    });
    stateMachine.register(Command.KindCase.COMPACTION_STEP, (context, command) -> {
      Compactor.step(context.txn(), context.kvMeta(),
          command.getCompactionStep().getMaxEvents());
      return CommandResult.newBuilder().setDone(Empty.getDefaultInstance());
    });
  }

  private static ResponseHeader header(long revision) {
    return ResponseHeader.newBuilder().setRevision(revision).build();
  }
}
