package io.coord.cli;

import io.coord.client.CoordClient;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The global options, for commands outside this package that run in the foreground. */
public final class Globals {
  private final CommandSpec spec;

  public Globals(CommandSpec spec) {
    this.spec = spec;
  }

  private CoordCli root() {
    return (CoordCli) spec.root().userObject();
  }

  public CoordClient connect() {
    return root().connect();
  }

  /** Where results go, in the chosen format. */
  public Output output() {
    return new Output(spec.commandLine().getOut(), root().output(), root().base64());
  }

  /** Standard error, for progress and loss messages. */
  public PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** {@code --timeout}, if it was given on the command line (its default does not count). */
  public Optional<Duration> explicitTimeout() {
    CommandLine.ParseResult result = spec.root().commandLine().getParseResult();
    while (result != null) {
      if (result.hasMatchedOption("--timeout")) {
        return Optional.of(root().timeout());
      }
      result = result.subcommand();
    }
    return Optional.empty();
  }

  /** A usage error (exit code 2). */
  public CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
