package io.coord.cli.watch;

import io.coord.client.CoordClient;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * A minimal {@code coord} root carrying only {@code kv watch}, with the global options the
 * watch command uses.
 */
@Command(name = "coord", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
    description = "Talks to a Coord cluster.",
    subcommands = WatchTool.Kv.class)
public final class WatchTool implements WatchRoot {
  /** Output formats of the watch command. */
  public enum Format { SIMPLE, JSON }

  @Option(names = "--endpoints", scope = ScopeType.INHERIT, split = ",",
      paramLabel = "HOST:PORT,...",
      defaultValue = "${env:COORD_ENDPOINTS:-127.0.0.1:7701,127.0.0.1:7702,127.0.0.1:7703}",
      description = "Members to talk to (default: $COORD_ENDPOINTS, else the local cluster).")
  List<String> endpoints;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
      defaultValue = "simple", description = "Output format: simple or json.")
  Format output;

  @Option(names = "--base64", scope = ScopeType.INHERIT,
      description = "JSON output: keys and values as base64 instead of UTF-8 strings.")
  boolean base64;

  @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS",
      defaultValue = "10", description = "Longest a read may take, retries included.")
  long timeoutSeconds;

  /** {@code coord kv}. */
  @Command(name = "kv", description = "Keys.", subcommands = KvWatchCommand.class)
  static final class Kv {
  }

  @Override
  public CoordClient connect() {
    return CoordClient.builder().endpoints(endpoints)
        .requestTimeout(Duration.ofSeconds(timeoutSeconds)).build();
  }

  @Override
  public boolean jsonOutput() {
    return output == Format.JSON;
  }

  @Override
  public boolean base64() {
    return base64;
  }

  /** The command line with case-insensitive enum values. */
  public static CommandLine newCommandLine() {
    return new CommandLine(new WatchTool()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  public static void main(String[] args) {
    CommandLine cli = newCommandLine();
    cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    System.exit(cli.execute(args));
  }
}
