package io.coord.cli;

import io.coord.cli.cluster.ClusterCommand;
import io.coord.cli.election.ElectCommand;
import io.coord.cli.kv.KvCommand;
import io.coord.cli.lock.LockCommand;
import io.coord.cli.member.MemberCommand;
import io.coord.cli.service.ServiceCommand;
import io.coord.cli.session.SessionCommand;
import io.coord.cli.watch.WatchRoot;
import io.coord.cli.snapshot.SnapshotCommand;
import io.coord.client.CoordClient;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The {@code coord} command: the root of the command tree, holder of the global options
 * (inherited by every subcommand, so they work before or after it) and the program entry point.
 */
@Command(name = "coord",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    description = "Talks to a Coord cluster: keys, transactions, watches, sessions, locks,"
        + " elections, services, members and their status, backups.",
    subcommands = {KvCommand.class, SessionCommand.class, LockCommand.class,
        ElectCommand.class, ServiceCommand.class, MemberCommand.class, ClusterCommand.class,
        SnapshotCommand.class, HelpCommand.class, GenerateCompletion.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:Success (also a txn whose compares failed and that ran its failure branch).",
        "1:The operation failed: cluster unreachable, timeout or an error from the server.",
        "2:Usage error: unknown command or option, bad argument, malformed txn input."},
    footerHeading = "%nEnvironment:%n",
    footer = {"COORD_ENDPOINTS   default of --endpoints",
        "NO_COLOR          disables colors in help",
        "",
        "Errors go to stderr as one line, whatever --output says. JSON output is documented in"
            + " docs/cli-json.md."})
public final class CoordCli implements WatchRoot {
  static final String DEFAULT_ENDPOINTS = "127.0.0.1:7701,127.0.0.1:7702,127.0.0.1:7703";

  @Option(names = "--endpoints", scope = ScopeType.INHERIT, split = ",",
      paramLabel = "HOST:PORT,...", hideParamSyntax = true,
      converter = EndpointConverter.class,
      defaultValue = "${env:COORD_ENDPOINTS:-" + DEFAULT_ENDPOINTS + "}",
      description = "Members to talk to; any one of them serves any request"
          + " (default: $COORD_ENDPOINTS, else " + DEFAULT_ENDPOINTS + ").")
  List<String> endpoints;

  @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
      defaultValue = "simple",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  OutputFormat output;

  @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "DURATION",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Longest a request may take, retries on other members included, e.g. 500ms,"
          + " 5s, 1m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--dial-timeout", scope = ScopeType.INHERIT, paramLabel = "DURATION",
      defaultValue = "2s",
      converter = DurationConverter.class,
      description = "Longest to wait for a connection to any endpoint before giving up"
          + " (default: ${DEFAULT-VALUE}).")
  Duration dialTimeout;

  @Option(names = "--base64", scope = ScopeType.INHERIT,
      description = "JSON output: keys and values as base64 instead of UTF-8 strings.")
  boolean base64;

  @Option(names = "--debug", scope = ScopeType.INHERIT,
      description = "On errors, also print the stack trace.")
  boolean debug;

  private final InputStream stdin;

  /** A root command that reads standard input from {@code stdin} (put values, txn scripts). */
  public CoordCli(InputStream stdin) {
    this.stdin = stdin;
  }

  /** Runs {@code coord} and exits with its exit code. */
  public static void main(String[] args) {
    CommandLine cli = newCommandLine(System.in);
    cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    System.exit(cli.execute(args));
  }

  /**
   * The configured command line: error handlers (one line on stderr, exit codes 1 and 2),
   * case-insensitive enum values and colors off when {@code NO_COLOR} is set. Set its out and
   * err writers before executing it.
   */
  public static CommandLine newCommandLine(InputStream stdin) {
    CommandLine cli = new CommandLine(new CoordCli(stdin));
    Failures failures = new Failures();
    cli.setExecutionExceptionHandler(failures);
    cli.setParameterExceptionHandler(failures);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    if (System.getenv("NO_COLOR") != null) {
      cli.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    }
    return cli;
  }

  /** Connects to the cluster, failing fast when none of the endpoints accepts a connection. */
  @Override
  public CoordClient connect() {
    EndpointProbe.requireReachable(endpoints, dialTimeout);
    return CoordClient.builder()
        .endpoints(endpoints)
        .requestTimeout(timeout)
        .attemptTimeout(timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout
            : Duration.ofSeconds(3))
        .build();
  }

  InputStream stdin() {
    return stdin;
  }

  List<String> endpoints() {
    return endpoints;
  }

  Duration timeout() {
    return timeout;
  }

  OutputFormat output() {
    return output;
  }

  @Override
  public boolean base64() {
    return base64;
  }

  @Override
  public boolean jsonOutput() {
    return output == OutputFormat.JSON;
  }

  boolean debug() {
    return debug;
  }
}
