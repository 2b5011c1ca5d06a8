package io.coord.cli;

import io.coord.client.CoordClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the cluster with the global options, writes to stdout itself as it
 * goes and chooses its own exit code (foreground commands such as {@code service register}).
 * Commands that print a result in the chosen {@code --output} format extend
 * {@link ClientCommand} instead.
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
