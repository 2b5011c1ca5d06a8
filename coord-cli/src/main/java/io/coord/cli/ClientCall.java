package io.coord.cli;

import io.coord.client.CoordClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the cluster with the global options and prints plain text to
 * stdout, choosing its own exit code (for commands whose exit code reports a finding, such as
 * {@code cluster health}, or that run in the foreground).
 */
public abstract class ClientCall implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  @Override
  public final Integer call() throws Exception {
    try (CoordClient client = ((CoordCli) spec.root().userObject()).connect()) {
      int code = run(client, spec.commandLine().getOut());
      spec.commandLine().getOut().flush();
      return code;
    }
  }

  /** Runs the command; returns the exit code. */
  protected abstract int run(CoordClient client, PrintWriter out) throws Exception;
}
