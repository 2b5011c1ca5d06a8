package io.coord.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code coord} in-process and captures its exit code and output. */
final class Cli {
  record Result(int exitCode, String out, String err) {}

  private Cli() {}

  static Result run(List<String> endpoints, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = CoordCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoints=" + String.join(",", endpoints));
    int code = cli.execute(all.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  /** Like {@link #run} but writing stdout to {@code out} as it goes. */
  static int run(List<String> endpoints, PrintWriter out, String... args) {
    CommandLine cli = CoordCommand.commandLine();
    cli.setOut(out);
    cli.setErr(out);
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoints=" + String.join(",", endpoints));
    return cli.execute(all.toArray(String[]::new));
  }
}
