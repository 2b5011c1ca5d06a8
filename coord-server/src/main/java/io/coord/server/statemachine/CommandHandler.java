package io.coord.server.statemachine;

import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;

/**
 * Applies one kind of command. Must be deterministic: the result may depend only on the stored
 * state, the command and the {@link ApplyContext}. A deterministic refusal is thrown as a
 * {@link io.coord.server.error.CoordError}; its writes are rolled back. Any other exception
 * means the state can no longer be trusted and stops the member.
 */
@FunctionalInterface
public interface CommandHandler {
  /** Applies {@code command}; the returned builder's revision is filled in by the caller. */
  CommandResult.Builder apply(ApplyContext context, Command command);
}
