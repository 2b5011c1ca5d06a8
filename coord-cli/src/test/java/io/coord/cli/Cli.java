package io.coord.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/** Runs the CLI in-process, the way {@code main} does, capturing its output. */
final class Cli {
  /** What a run printed and returned. */
  record Run(int exitCode, String out, String err) {
    List<String> lines() {
      return out.lines().toList();
    }

    @Override
    public String toString() {
      return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
  }

  private Cli() {}

  /** Runs {@code coord --endpoints <shared cluster> args...} with empty stdin. */
  static Run coord(String... args) {
    return coordWithInput("", args);
  }

  /** Runs {@code coord --endpoints <shared cluster> args...} with {@code stdin}. */
  static Run coordWithInput(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("--endpoints", SharedCluster.endpoints()));
    all.addAll(List.of(args));
    return raw(stdin, all.toArray(String[]::new));
  }

  /** Runs {@code coord args...} exactly as given. */
  static Run raw(String stdin, String... args) {
    CommandLine cli = CoordCli.newCommandLine(
        new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  /** What a run printed and returned (session and health command tests). */
  record Result(int exitCode, String out, String err) {}

  /** Runs {@code coord args... --endpoints=<endpoints>}. */
  static Result run(List<String> endpoints, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoints=" + String.join(",", endpoints));
    Run run = raw("", all.toArray(String[]::new));
    return new Result(run.exitCode(), run.out(), run.err());
  }

  /** Like {@link #run} but writing stdout and stderr to {@code out} as it goes. */
  static int run(List<String> endpoints, PrintWriter out, String... args) {
    CommandLine cli = CoordCli.newCommandLine(new ByteArrayInputStream(new byte[0]));
    cli.setOut(out);
    cli.setErr(out);
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--endpoints=" + String.join(",", endpoints));
    return cli.execute(all.toArray(String[]::new));
  }
}
