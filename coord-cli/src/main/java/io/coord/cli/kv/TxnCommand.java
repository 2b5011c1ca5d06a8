package io.coord.cli.kv;

import io.coord.cli.ClientCommand;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code coord kv txn}: an atomic compare-then-write, read from standard input. */
@Command(name = "txn", description = {
    "Runs a transaction read from standard input, in etcdctl's syntax: compares, a blank line,"
        + " the operations to run if every compare holds, a blank line, the operations to run"
        + " otherwise.",
    "",
    "  compare:    TARGET(\"KEY\") OP \"VALUE\"",
    "              TARGET: value, version, create, mod, session; OP: = != < >",
    "  operations: put KEY VALUE [--prev-kv] [--session ID]",
    "              get KEY [RANGE_END] [--prefix|--from-key] [--limit N]",
    "                  [--rev N] [--keys-only] [--count-only]",
    "              del KEY [RANGE_END] [--prefix|--from-key] [--prev-kv]",
    "",
    "Example:",
    "  printf 'version(\"cfg\") = \"0\"\\n\\nput cfg v1\\n\\nget cfg\\n' | coord kv txn",
    "",
    "Prints SUCCESS or FAILURE, then each operation's result after a blank line. A"
        + " transaction that ran its failure branch still exits 0."})
final class TxnCommand extends ClientCommand {
  @Option(names = {"-i", "--interactive"},
      description = "Prompt for each section on stderr (end a section with an empty line).")
  boolean interactive;

  private TxnScript script;

  @Override
  protected void prepare() throws Exception {
    BufferedReader in = new BufferedReader(new InputStreamReader(stdin(), StandardCharsets.UTF_8));
    try {
      script = new TxnParser(in, interactive ? spec.commandLine().getErr() : null).parse();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
  }

  @Override
  protected void run(CoordClient client, Output out) {
    new KvPrinter(out).txn(script.applyTo(client.kv().txn()).commit());
  }
}
