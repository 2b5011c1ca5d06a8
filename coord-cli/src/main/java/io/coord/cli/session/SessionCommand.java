package io.coord.cli.session;

import picocli.CommandLine.Command;

/** {@code coord session}: sessions (leases) and their ephemeral keys. */
@Command(name = "session", description = {
    "Sessions: leases with a TTL, kept alive by their owner. Keys put with --session ID are"
        + " deleted when the session ends (expired or revoked)."},
    subcommands = {SessionGrantCommand.class, SessionKeepAliveCommand.class,
        SessionRevokeCommand.class, SessionListCommand.class, SessionInfoCommand.class})
public final class SessionCommand {}
