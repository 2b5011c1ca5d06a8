package io.coord.cli.lock;

import io.coord.cli.ChildCommand;
import io.coord.cli.Durations;
import io.coord.cli.Globals;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.CoordClient;
import io.coord.client.CoordTimeoutException;
import io.coord.client.lock.HeldLock;
import io.coord.client.lock.Lock;
import io.coord.client.lock.LockKind;
import io.coord.client.lock.LockOptions;
import io.coord.client.session.SessionLoss;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coord lock NAME [-- CMD ARGS...]}: acquires a lock, prints the grant, runs the command
 * while holding it (or holds until interrupted), releases it.
 */
@Command(name = "lock",
    description = {"Acquires the lock NAME (waiting in line as long as it takes, or at most"
        + " --timeout), prints the grant (name, token, session), then runs CMD with"
        + " COORD_LOCK_NAME, COORD_LOCK_TOKEN and COORD_LOCK_SESSION in its environment and"
        + " releases the lock when CMD exits. Without CMD, holds the lock until interrupted.",
        "If the lock is lost (its session expired or was revoked), CMD is terminated (SIGTERM,"
            + " then SIGKILL after --kill-after) before the cluster can grant the lock to anyone"
            + " else, and coord exits 1. Guard what CMD writes with COORD_LOCK_TOKEN."},
    subcommands = {LockInspectCommand.class, LockListCommand.class, LockBreakCommand.class},
    footerHeading = "%nExit status:%n",
    footer = {"CMD's exit status when it ran to its end with the lock held; 1 if the lock was"
        + " lost, not acquired within --timeout, or the request failed; 2 on a usage error.",
        "Simple output: lock NAME held: token TOKEN, session SESSION. JSON output (-o json):"
            + " see docs/cli-json.md."})
public final class LockCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  // Optional for picocli, which checks it even when a subcommand (inspect, ls, break) runs.
  @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "The lock's name.")
  String name;

  @Parameters(index = "1..*", paramLabel = "CMD",
      description = "The command to run while holding the lock (after --).")
  List<String> command = List.of();

  @Option(names = "--ttl", paramLabel = "DURATION", defaultValue = "10s",
      converter = Durations.class,
      description = "TTL of the lock's session: how long the lock outlives a crashed coord at"
          + " most (default: ${DEFAULT-VALUE}).")
  Duration ttl;

  @Option(names = "--permits", paramLabel = "N",
      description = "Take one of N permits of the semaphore NAME instead of a mutex.")
  int permits;

  @Option(names = "--read", description = "Take the read side of the read-write lock NAME.")
  boolean read;

  @Option(names = "--write", description = "Take the write side of the read-write lock NAME.")
  boolean write;

  @Option(names = "--kill-after", paramLabel = "DURATION", defaultValue = "100ms",
      converter = Durations.class,
      description = "When the lock is lost: time between SIGTERM and SIGKILL to CMD (default:"
          + " ${DEFAULT-VALUE}; the client declares the loss at least 1% of the TTL + 100 ms"
          + " before the cluster can grant the lock to anyone else).")
  Duration killAfter;

  @Override
  public Integer call() throws Exception {
    Globals globals = new Globals(spec);
    if (name == null) {
      throw globals.usage("NAME is required: coord lock NAME [-- CMD ARGS...], or one of"
          + " inspect, ls, break");
    }
    if (read && write) {
      throw globals.usage("--read and --write exclude each other");
    }
    if (permits < 0 || permits > 0 && (read || write)) {
      throw globals.usage(permits < 0 ? "--permits must be positive"
          : "--permits (a semaphore) excludes --read and --write (a read-write lock)");
    }
    Output out = globals.output();
    try (CoordClient client = globals.connect()) {
      LockOptions options = LockOptions.builder().ttl(ttl).build();
      Lock lock = permits > 0 ? client.locks().semaphore(name, permits, options)
          : read ? client.locks().readWriteLock(name, options).readLock()
          : write ? client.locks().readWriteLock(name, options).writeLock()
          : client.locks().lock(name, options);
      Duration wait = globals.explicitTimeout().orElse(null);
      HeldLock held;
      try {
        held = wait == null ? lock.acquire() : lock.acquire(wait);
      } catch (CoordTimeoutException notInTime) {
        globals.err().println("coord: lock " + name + " not acquired within "
            + Durations.format(wait));
        globals.err().flush();
        return 1;
      }
      try {
        print(out, held);
        out.flush();
        CompletableFuture<SessionLoss> lost = held.lost();
        if (command.isEmpty()) {
          return holdUntilInterrupted(held, globals);
        }
        ChildCommand.Outcome outcome = new ChildCommand(command, Map.of(
            "COORD_LOCK_NAME", name,
            "COORD_LOCK_TOKEN", Long.toString(held.token()),
            "COORD_LOCK_SESSION", Long.toString(held.session().id())), killAfter).run(lost);
        if (outcome.lost()) {
          reportLoss(globals, held, lost.join(), true);
          return 1;
        }
        return outcome.exitCode();
      } finally {
        held.release();
      }
    }
  }

  private int holdUntilInterrupted(HeldLock held, Globals globals) {
    Thread onInterrupt = new Thread(held::release, "coord-lock-release");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    SessionLoss loss = held.lost().join();
    reportLoss(globals, held, loss, false);
    return 1;
  }

  private void reportLoss(Globals globals, HeldLock held, SessionLoss loss, boolean terminated) {
    globals.err().println("coord: lock " + name + " lost (session " + held.session().id() + " "
        + loss.reason() + ": " + loss.message() + ")"
        + (terminated ? "; the command was terminated" : ""));
    globals.err().flush();
  }

  private void print(Output out, HeldLock held) {
    switch (out.format()) {
      case JSON -> out.json(Json.object()
          .put("name", name)
          .put("kind", held.kind().name())
          .put("mode", held.mode().name())
          .put("token", held.token())
          .put("session", held.session().id())
          .put("held_since", held.heldSince().toString())
          .put("revision", held.revision()));
      case TABLE -> out.table(new io.coord.cli.AsciiTable("NAME", "TOKEN", "SESSION", "SINCE")
          .row(name, held.token(), held.session().id(), held.heldSince()));
      case SIMPLE -> out.line("lock " + name + " held: token " + held.token() + ", session "
          + held.session().id() + (held.kind() == LockKind.READ_WRITE ? " (" + held.mode()
          + ")" : ""));
    }
  }
}
