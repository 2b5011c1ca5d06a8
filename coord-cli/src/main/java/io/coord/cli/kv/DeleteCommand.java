package io.coord.cli.kv;

import com.google.protobuf.ByteString;
import io.coord.cli.ClientCommand;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.kv.DeleteOptions;
import io.coord.client.kv.KvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord kv del KEY [RANGE_END]}. */
@Command(name = "del", aliases = "delete",
    description = {"Deletes KEY, or the keys in [KEY, RANGE_END).",
        "Prints the number of keys deleted."})
final class DeleteCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY", description = "The key, or the start of the range.")
  String key;

  @Parameters(index = "1", arity = "0..1", paramLabel = "RANGE_END",
      description = "End of the range, exclusive.")
  String rangeEnd;

  @Option(names = "--prefix", description = "Delete every key that starts with KEY.")
  boolean prefix;

  @Option(names = "--from-key", description = "Delete every key >= KEY.")
  boolean fromKey;

  @Option(names = "--prev-kv", description = "Also print the deleted keys and values.")
  boolean prevKv;

  @Override
  protected void prepare() {
    if (key.isEmpty()) {
      throw usage("KEY must not be empty");
    }
    if ((rangeEnd != null ? 1 : 0) + (prefix ? 1 : 0) + (fromKey ? 1 : 0) > 1) {
      throw usage("give only one of RANGE_END, --prefix and --from-key");
    }
  }

  @Override
  protected void run(CoordClient client, Output out) {
    DeleteOptions.Builder options = DeleteOptions.builder();
    if (rangeEnd != null) {
      options.rangeEnd(ByteString.copyFromUtf8(rangeEnd));
    } else if (prefix) {
      options.prefix();
    } else if (fromKey) {
      options.fromKey();
    }
    if (prevKv) {
      options.prevKv();
    }
    new KvPrinter(out).delete(KvClient.await(
        client.kv().deleteAsync(ByteString.copyFromUtf8(key), options.build())));
  }
}
