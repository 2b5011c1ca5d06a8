package io.coord.cli;

import io.coord.client.CoordClient;
import java.io.InputStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A leaf command that talks to the cluster: connects with the global options, runs, prints to
 * standard output in the chosen format and exits 0 (or the code it set with
 * {@link #exitCode(int)}, for commands whose exit code reports a finding). Failures propagate
 * to {@link Failures}.
 */
public abstract class ClientCommand implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  private int exitCode = ExitCode.OK;

  @Override
  public final Integer call() throws Exception {
    prepare();
    Output out = new Output(spec.commandLine().getOut(), root().output(), root().base64());
    try (CoordClient client = root().connect()) {
      run(client, out);
    } finally {
      out.flush();
    }
    return exitCode;
  }

  /**
   * Sets the exit code of a run that succeeded but reports a finding (an unhealthy cluster, a
   * lost session); its output was printed in the chosen format all the same.
   */
  protected void exitCode(int code) {
    this.exitCode = code;
  }

  /** Checks arguments and reads input before connecting; throw a usage error from here. */
  protected void prepare() throws Exception {}

  /** Runs the command against the cluster. */
  protected abstract void run(CoordClient client, Output out) throws Exception;

  /** Standard input (the value of {@code kv put}, the script of {@code kv txn}). */
  protected InputStream stdin() {
    return root().stdin();
  }

  /** Where progress for humans goes: standard error, never mixed with results. */
  protected java.io.PrintWriter progress() {
    return spec.commandLine().getErr();
  }

  /** A usage error (exit code 2) about this command. */
  protected CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  private CoordCli root() {
    return (CoordCli) spec.root().userObject();
  }
}
