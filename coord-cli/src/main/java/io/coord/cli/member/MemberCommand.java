package io.coord.cli.member;

import picocli.CommandLine.Command;

/** {@code coord member}: the group of membership commands. */
@Command(name = "member", description = "Lists, adds, promotes and removes members.",
    subcommands = {MemberListCommand.class, MemberAddCommand.class, MemberPromoteCommand.class,
        MemberRemoveCommand.class})
public final class MemberCommand {
}
