package io.coord.cli.kv;

import picocli.CommandLine.Command;

/** {@code coord kv}: the group of key-value commands. */
@Command(name = "kv", description = "Reads and writes keys: put, get, del, txn, compact.",
    subcommands = {PutCommand.class, GetCommand.class, DeleteCommand.class, TxnCommand.class,
        CompactCommand.class})
public final class KvCommand {
}
