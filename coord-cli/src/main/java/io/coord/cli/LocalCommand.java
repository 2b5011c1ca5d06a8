package io.coord.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf command that works on local files only (no cluster): runs, prints to standard output
 * in the chosen format and exits 0. Failures propagate to {@link Failures}.
 */
public abstract class LocalCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    CoordCli root = (CoordCli) spec.root().userObject();
    Output out = new Output(spec.commandLine().getOut(), root.output(), root.base64());
    try {
      run(out);
    } finally {
      out.flush();
    }
    return ExitCode.OK;
  }

  /** Runs the command. */
  protected abstract void run(Output out) throws Exception;

  /** A usage error (exit code 2) about this command. */
  protected CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }
}
