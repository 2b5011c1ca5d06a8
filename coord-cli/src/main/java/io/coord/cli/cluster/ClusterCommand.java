package io.coord.cli.cluster;

import picocli.CommandLine.Command;

/** {@code coord cluster}: the group of cluster-wide commands. */
@Command(name = "cluster", description = "Shows the state and health of the cluster; moves"
    + " leadership.",
    subcommands = {ClusterStatusCommand.class, ClusterHealthCommand.class,
        MoveLeaderCommand.class})
public final class ClusterCommand {
}
