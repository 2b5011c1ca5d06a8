package io.coord.cli.snapshot;

import picocli.CommandLine.Command;

/** {@code coord snapshot}: backups. */
@Command(name = "snapshot", description = "Saves, inspects and restores backups.",
    subcommands = {SnapshotSaveCommand.class, SnapshotInspectCommand.class,
        SnapshotRestoreCommand.class})
public final class SnapshotCommand {
}
