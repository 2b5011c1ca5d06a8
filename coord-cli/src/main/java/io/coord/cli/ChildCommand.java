package io.coord.cli;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command while something is held (a lock, a leadership): standard streams inherited,
 * extra environment variables, and terminated when the hold is lost — SIGTERM to the whole
 * process tree, then SIGKILL after {@code killAfter} — so it does not outlive the hold.
 */
public final class ChildCommand {
  /** How a run ended. */
  public record Outcome(boolean lost, int exitCode) {}

  private final List<String> command;
  private final Map<String, String> environment;
  private final Duration killAfter;

  public ChildCommand(List<String> command, Map<String, String> environment,
      Duration killAfter) {
    this.command = command;
    this.environment = environment;
    this.killAfter = killAfter;
  }

  /**
   * Runs the command until it exits or {@code lost} completes (then it is terminated).
   *
   * @throws IOException if the command cannot be started
   */
  public Outcome run(CompletableFuture<?> lost) throws IOException,
      InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(environment);
    Process process = builder.start();
    Thread onInterrupt = new Thread(() -> terminate(process), "coord-child-shutdown");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      CompletableFuture<Process> exited = process.onExit();
      CompletableFuture.anyOf(exited, lost).join();
      if (exited.isDone()) {
        return new Outcome(false, process.exitValue());
      }
      terminate(process);
      return new Outcome(true, process.exitValue());
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: the JVM is exiting anyway.
      }
    }
  }

  /** SIGTERM to the process and its descendants, then SIGKILL to what is left. */
  private void terminate(Process process) {
    List<ProcessHandle> tree = process.descendants().toList();
    tree.forEach(ProcessHandle::destroy);
    process.destroy();
    try {
      if (!process.waitFor(killAfter.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
      }
      tree.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
      process.waitFor();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      tree.forEach(ProcessHandle::destroyForcibly);
      Thread.currentThread().interrupt();
    }
  }
}
