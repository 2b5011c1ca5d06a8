package io.coord.cli.kv;

import com.google.protobuf.ByteString;
import io.coord.cli.ClientCommand;
import io.coord.cli.IdConverter;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.kv.KvClient;
import io.coord.client.kv.PutOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord kv put KEY [VALUE]}. */
@Command(name = "put", description = {"Sets KEY to VALUE. Prints OK.",
    "Without VALUE (or with -), reads the value from standard input, byte for byte: "
        + "`printf v | coord kv put k` stores \"v\", `echo v | ...` stores \"v\\n\". "
        + "Use -- before a VALUE that starts with a dash."})
final class PutCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY", description = "The key.")
  String key;

  @Parameters(index = "1", arity = "0..1", paramLabel = "VALUE",
      description = "The value; omitted or - reads standard input.")
  String value;

  @Option(names = "--prev-kv", description = "Also print the previous key and value.")
  boolean prevKv;

  @Option(names = "--session", paramLabel = "ID", converter = IdConverter.class,
      description = "Attach the key to this session (decimal or 0x-hex id): it is deleted when"
          + " the session ends.")
  long session;

  private ByteString bytes;

  @Override
  protected void prepare() throws Exception {
    if (key.isEmpty()) {
      throw usage("KEY must not be empty");
    }
    if (value == null || value.equals("-")) {
      if (System.console() != null && stdin() == System.in) {
        spec.commandLine().getErr().println("coord: reading the value from standard input"
            + " (end with Ctrl-D)");
      }
      bytes = ByteString.readFrom(stdin());
    } else {
      bytes = ByteString.copyFromUtf8(value);
    }
  }

  @Override
  protected void run(CoordClient client, Output out) {
    PutOptions.Builder options = PutOptions.builder().session(session);
    if (prevKv) {
      options.prevKv();
    }
    new KvPrinter(out).put(KvClient.await(client.kv().putAsync(ByteString.copyFromUtf8(key),
        bytes, options.build())));
  }
}
