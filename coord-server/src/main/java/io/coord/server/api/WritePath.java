package io.coord.server.api;

import io.coord.proto.v1.ErrorReason;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.RequestId;
import io.coord.server.error.CoordError;
import io.coord.server.raft.Proposer;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a validated write through Raft with the caller's exactly-once identity and turns a
 * refusal decided in apply back into a {@link CoordError}.
 */
public final class WritePath {
  private final Proposer proposer;

  public WritePath(Proposer proposer) {
    this.proposer = proposer;
  }

  /** Proposes {@code command} under the current call's request id, if it has one. */
  public CompletableFuture<CommandResult> submit(Command.Builder command) {
    RequestId id = RequestIds.current();
    if (id != null) {
      command.setRequestId(id);
    }
    return submitAsIs(command.build());
  }

  /** Proposes {@code command} with exactly the identity it carries. */
  public CompletableFuture<CommandResult> submitAsIs(Command command) {
    return proposer.propose(command).thenApply(WritePath::orThrow);
  }

  static CommandResult orThrow(CommandResult result) {
    if (result.hasRejection()) {
      var rejection = result.getRejection();
      ErrorReason reason = ErrorReason.forNumber(rejection.getReason());
      throw new CoordError(reason == null ? ErrorReason.ERROR_REASON_UNSPECIFIED : reason,
          rejection.getMessage(), rejection.getMetadataMap());
    }
    return result;
  }
}
