package io.coord.chaos.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short external commands (ip, iptables, kill) with a time bound. */
public final class Commands {
  private Commands() {
  }

  /** The outcome of a command: its exit status ({@code -1}: timed out) and combined output. */
  public record Result(int status, String output) {
    public boolean ok() {
      return status == 0;
    }
  }

  /** Runs {@code command}, waiting at most {@code timeout}; a command still running is killed. */
  public static Result run(Duration timeout, List<String> command) {
    Process process;
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      return new Result(127, "cannot run " + command.get(0) + ": " + e.getMessage());
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        return new Result(-1, String.join(" ", command) + ": timed out after " + timeout);
      }
      String output = new String(process.getInputStream().readAllBytes(),
          StandardCharsets.UTF_8).strip();
      return new Result(process.exitValue(), output);
    } catch (IOException e) {
      return new Result(process.exitValue(), e.getMessage());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(-1, "interrupted");
    }
  }

  /** Runs {@code command} and returns its output; throws if it fails. */
  public static String check(String... command) {
    Result result = run(Duration.ofSeconds(20), List.of(command));
    if (!result.ok()) {
      throw new IllegalStateException(String.join(" ", command) + " failed (status "
          + result.status() + "): " + result.output());
    }
    return result.output();
  }

  /** Runs {@code command}, ignoring failures (for cleanup); true if it succeeded. */
  public static boolean quietly(String... command) {
    return run(Duration.ofSeconds(20), List.of(command)).ok();
  }

  /** Sends {@code signal} (e.g. {@code STOP}) to process {@code pid}; throws if it fails. */
  public static void signal(long pid, String signal) {
    check("kill", "-" + signal, Long.toString(pid));
  }
}
