package io.coord.cli.watch;

import io.coord.client.CoordClient;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.WatchQueue;
import io.coord.client.watch.WatchUpdate;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code coord kv watch KEY}: prints every change to a key or prefix as it happens, one line per
 * event, until interrupted; or runs a command per event. Resumes on another member without
 * losing or repeating events when the serving member fails.
 */
@Command(name = "watch",
    description = {"Prints every change to KEY (or to every key under it with --prefix) as it"
        + " happens, one line per event, until interrupted. If the member serving the watch"
        + " fails, the watch resumes on another one without losing or repeating events.",
        "",
        "Simple output: PUT <revision> <key>=<value>, DELETE <revision> <key>, followed by"
        + " prev=<value> with --prev-kv. JSON output (-o json): one object per line with type,"
        + " key, value, mod_revision, create_revision, version and, with --prev-kv, prev_value"
        + " and prev_mod_revision."},
    footerHeading = "%n--exec environment:%n",
    footer = {"COORD_WATCH_EVENT_TYPE  PUT or DELETE",
        "COORD_WATCH_KEY         the key",
        "COORD_WATCH_VALUE       the new value (empty for DELETE)",
        "COORD_WATCH_REVISION    the event's revision",
        "COORD_WATCH_PREV_VALUE  the previous value (with --prev-kv, if the key existed)",
        "The event's JSON line is on the command's standard input. Events wait for the"
            + " command to finish, one at a time.",
        "",
        "Exit status: 1 if the watch cannot continue (its history was compacted: re-read the"
            + " keys and watch again with --rev as the message says; or the request was"
            + " refused)."})
public final class KvWatchCommand implements Callable<Integer> {
  private static final int QUEUE_CAPACITY = 64;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "KEY", description = "The key (or prefix) to watch.")
  String key;

  @Option(names = "--prefix", description = "Watch every key that starts with KEY.")
  boolean prefix;

  @Option(names = "--rev", paramLabel = "N",
      description = "Start at revision N: replay the history from N, then go live. 0 (the"
          + " default) starts with the next change.")
  long revision;

  @Option(names = "--prev-kv", description = "Also show the value before each change.")
  boolean prevKv;

  @Option(names = "--exec", paramLabel = "CMD",
      description = "Run CMD (with sh -c) for every event instead of printing it.")
  String exec;

  @Option(names = "--max-events", paramLabel = "N",
      description = "Exit after N events (default: run until interrupted).")
  long maxEvents;

  @Override
  public Integer call() throws Exception {
    if (revision < 0) {
      throw new ParameterException(spec.commandLine(),
          "--rev: must not be negative (got " + revision + "); 0 starts with the next change");
    }
    WatchRoot root = (WatchRoot) spec.root().userObject();
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    WatchOptions.Builder options = WatchOptions.builder().startRevision(revision);
    if (prefix) {
      options.prefix();
    }
    if (prevKv) {
      options.prevKv();
    }
    try (CoordClient client = root.connect();
         WatchQueue queue = client.watches().queue(key, options.build(), QUEUE_CAPACITY)) {
      Thread onInterrupt = new Thread(queue::close, "coord-watch-shutdown");
      Runtime.getRuntime().addShutdownHook(onInterrupt);
      try {
        return run(queue, root, out, err);
      } finally {
        try {
          Runtime.getRuntime().removeShutdownHook(onInterrupt);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running: the JVM is exiting anyway.
        }
      }
    }
  }

  private int run(WatchQueue queue, WatchRoot root, PrintWriter out, PrintWriter err)
      throws InterruptedException, IOException {
    long seen = 0;
    while (true) {
      WatchUpdate update = queue.take();
      switch (update.kind()) {
        case EVENTS -> {
          for (WatchEvent event : update.events()) {
            if (exec != null) {
              runCommand(event, root, err);
            } else {
              out.println(root.jsonOutput() ? EventText.json(event, prevKv, root.base64())
                  : EventText.simple(event, prevKv));
            }
            out.flush();
            if (maxEvents > 0 && ++seen >= maxEvents) {
              return 0;
            }
          }
        }
        case PROGRESS -> { }
        case COMPACTED -> {
          long compact = update.revision();
          err.println("coord: the watch needs revisions up to " + compact + ", which were"
              + " compacted; read the keys at revision " + compact + " (or later) and watch"
              + " again with --rev " + (compact + 1) + " (or after your read's revision)");
          err.flush();
          return 1;
        }
        case ERROR -> {
          err.println("coord: the watch ended: " + update.error().getMessage());
          err.flush();
          return 1;
        }
      }
    }
  }

  private void runCommand(WatchEvent event, WatchRoot root, PrintWriter err)
      throws InterruptedException, IOException {
    ProcessBuilder builder = new ProcessBuilder("sh", "-c", exec)
        .redirectOutput(ProcessBuilder.Redirect.INHERIT)
        .redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().putAll(EventText.environment(event, prevKv));
    Process process = builder.start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write((EventText.json(event, prevKv, root.base64()) + "\n")
          .getBytes(StandardCharsets.UTF_8));
    } catch (IOException commandIgnoresInput) {
      // The command exited or closed its input without reading: fine.
    }
    int status = process.waitFor();
    if (status != 0) {
      err.println("coord: --exec command exited with status " + status + " for the event at"
          + " revision " + event.revision());
      err.flush();
    }
  }
}
