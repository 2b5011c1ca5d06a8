package io.coord.cli.kv;

import com.google.protobuf.ByteString;
import io.coord.cli.ClientCommand;
import io.coord.cli.Output;
import io.coord.cli.kv.KvPrinter.GetStyle;
import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KvClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord kv get KEY [RANGE_END]}. */
@Command(name = "get", description = {"Reads KEY, or the keys in [KEY, RANGE_END).",
    "Prints each key and its value on their own lines; nothing if no key matches.",
    "Reads are linearizable unless --serializable is given."})
final class GetCommand extends ClientCommand {
  @Parameters(index = "0", paramLabel = "KEY", description = "The key, or the start of the range.")
  String key;

  @Parameters(index = "1", arity = "0..1", paramLabel = "RANGE_END",
      description = "End of the range, exclusive.")
  String rangeEnd;

  @Option(names = "--prefix", description = "Read every key that starts with KEY.")
  boolean prefix;

  @Option(names = "--from-key", description = "Read every key >= KEY.")
  boolean fromKey;

  @Option(names = "--rev", paramLabel = "N",
      description = "Read the store as it was at revision N (0: current).")
  long revision;

  @Option(names = "--serializable",
      description = "Read the serving member's local state without asking the leader: faster,"
          + " possibly stale.")
  boolean serializable;

  @Option(names = "--limit", paramLabel = "N", description = "Return at most N keys (0: all).")
  long limit;

  @Option(names = "--keys-only", description = "Print only the keys.")
  boolean keysOnly;

  @Option(names = "--count-only", description = "Print only the number of keys.")
  boolean countOnly;

  @Option(names = "--print-value-only", description = "Print only the values (simple output).")
  boolean valueOnly;

  @Override
  protected void prepare() {
    if (key.isEmpty() && !fromKey) {
      throw usage("KEY must not be empty (use --from-key with \"\" to read every key)");
    }
    int ranges = (rangeEnd != null ? 1 : 0) + (prefix ? 1 : 0) + (fromKey ? 1 : 0);
    if (ranges > 1) {
      throw usage("give only one of RANGE_END, --prefix and --from-key");
    }
    if ((keysOnly ? 1 : 0) + (countOnly ? 1 : 0) + (valueOnly ? 1 : 0) > 1) {
      throw usage("give only one of --keys-only, --count-only and --print-value-only");
    }
    if (revision < 0 || limit < 0) {
      throw usage("--rev and --limit must not be negative");
    }
  }

  @Override
  protected void run(CoordClient client, Output out) {
    GetOptions.Builder options = GetOptions.builder().revision(revision).limit(limit);
    if (rangeEnd != null) {
      options.rangeEnd(ByteString.copyFromUtf8(rangeEnd));
    } else if (prefix) {
      options.prefix();
    } else if (fromKey) {
      options.fromKey();
    }
    if (serializable) {
      options.serializable();
    }
    if (keysOnly) {
      options.keysOnly();
    }
    if (countOnly) {
      options.countOnly();
    }
    ByteString start = fromKey && key.isEmpty() ? ByteString.copyFrom(new byte[] {0})
        : ByteString.copyFromUtf8(key);
    new KvPrinter(out).get(KvClient.await(client.kv().getAsync(start, options.build())),
        style());
  }

  private GetStyle style() {
    if (keysOnly) {
      return GetStyle.KEYS_ONLY;
    }
    if (countOnly) {
      return GetStyle.COUNT_ONLY;
    }
    return valueOnly ? GetStyle.VALUES_ONLY : GetStyle.KEYS_AND_VALUES;
  }
}
