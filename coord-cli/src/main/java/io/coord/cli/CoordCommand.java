package io.coord.cli;

import io.coord.cli.cluster.ClusterHealthCommand;
import io.coord.cli.session.SessionCommand;
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
 * The {@code coord} command: global options and the command tree. Failed operations exit 1
 * with one line on stderr; usage errors exit 2.
 */
@Command(name = "coord", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT,
    description = "Talks to a Coord cluster.",
    subcommands = {SessionCommand.class, CoordCommand.ClusterGroup.class})
public final class CoordCommand {
  static final String DEFAULT_ENDPOINTS = "127.0.0.1:7701,127.0.0.1:7702,127.0.0.1:7703";

  @Option(names = "--endpoints", scope = ScopeType.INHERIT, split = ",",
      paramLabel = "HOST:PORT,...",
      defaultValue = "${env:COORD_ENDPOINTS:-" + DEFAULT_ENDPOINTS + "}",
      description = "Members to talk to (default: $COORD_ENDPOINTS, else "
          + DEFAULT_ENDPOINTS + ").")
  List<String> endpoints;

  @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "DURATION",
      defaultValue = "10s", converter = Durations.class,
      description = "Longest a request may take, retries included (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  /** {@code coord cluster}: cluster-wide commands. */
  @Command(name = "cluster", description = "Shows the state of the cluster.",
      subcommands = ClusterHealthCommand.class)
  static final class ClusterGroup {}

  public static void main(String[] args) {
    CommandLine cli = commandLine();
    cli.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
    cli.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
    System.exit(cli.execute(args));
  }

  /** The command line with its error handling; set out and err before executing. */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new CoordCommand());
    cli.setExecutionExceptionHandler((failure, command, parseResult) -> {
      command.getErr().println("coord: " + String.valueOf(failure.getMessage())
          .replace('\n', ' '));
      command.getErr().flush();
      return CommandLine.ExitCode.SOFTWARE;
    });
    return cli;
  }

  /** A client for the global options. */
  public CoordClient connect() {
    return CoordClient.builder()
        .endpoints(endpoints)
        .requestTimeout(timeout)
        .attemptTimeout(timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout
            : Duration.ofSeconds(3))
        .build();
  }
}
