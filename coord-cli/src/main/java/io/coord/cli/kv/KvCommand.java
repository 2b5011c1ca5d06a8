package io.coord.cli.kv;

import io.coord.cli.watch.KvWatchCommand;
import picocli.CommandLine.Command;

/** {@code coord kv}: the group of key-value commands. */
@Command(name = "kv", description = "Reads and writes keys: put, get, del, txn, compact, watch.",
    subcommands = {PutCommand.class, GetCommand.class, DeleteCommand.class, TxnCommand.class,
        CompactCommand.class, KvWatchCommand.class})
public final class KvCommand {
}
