package io.coord.cli.member;

import picocli.CommandLine.Command;

/** {@code coord member}: the group of membership commands. */
@Command(name = "member", description = "Lists the members of the cluster.",
    subcommands = MemberListCommand.class)
public final class MemberCommand {
}
