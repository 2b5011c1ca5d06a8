package io.coord.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Reports failures as one line on stderr, {@code coord: <message>}: usage errors exit 2, failed
 * operations exit 1. The stack trace follows only with {@code --debug}.
 */
final class Failures implements IExecutionExceptionHandler, IParameterExceptionHandler {
  @Override
  public int handleExecutionException(Exception failure, CommandLine command,
      ParseResult parseResult) {
    CoordCli root = root(command);
    report(command, ErrorMessages.describe(failure, root.endpoints(), root.timeout()),
        root.debug() ? failure : null);
    return ExitCode.SOFTWARE;
  }

  @Override
  public int handleParseException(ParameterException failure, String[] args) {
    CommandLine command = failure.getCommandLine();
    String message = failure.getMessage();
    if (message != null && message.startsWith("Missing required subcommand")) {
      message = "missing subcommand: one of " + String.join(", ",
          command.getSubcommands().values().stream().distinct()
              .filter(sub -> !sub.getCommandSpec().usageMessage().hidden())
              .map(CommandLine::getCommandName)
              .toList());
    } else if (failure instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = unmatched.getSuggestions();
      if (!suggestions.isEmpty()) {
        message += "; did you mean " + String.join(" or ", suggestions) + "?";
      }
    }
    String path = command.getCommandSpec().qualifiedName();
    String where = path.contains(" ") ? path.substring(path.indexOf(' ') + 1) + ": " : "";
    report(command, where + lowerFirst(message) + " (see '" + path + " --help')",
        root(command).debug() ? failure : null);
    return ExitCode.USAGE;
  }

  private static void report(CommandLine command, String message, Throwable trace) {
    PrintWriter err = command.getErr();
    err.println("coord: " + message.replace('\n', ' ').replace('\r', ' '));
    if (trace != null) {
      trace.printStackTrace(err);
    }
    err.flush();
  }

  private static CoordCli root(CommandLine command) {
    return (CoordCli) command.getCommandSpec().root().userObject();
  }

  private static String lowerFirst(String text) {
    if (text == null || text.isEmpty()) {
      return "invalid usage";
    }
    boolean acronym = text.length() > 1 && Character.isUpperCase(text.charAt(1));
    return acronym ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
  }
}
