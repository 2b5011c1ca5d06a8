package io.coord.cli.service;

import io.coord.cli.ClientCall;
import io.coord.cli.CoordCli;
import io.coord.cli.Json;
import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.discovery.InstanceEvent;
import io.coord.client.discovery.ServiceInstance;
import io.coord.client.discovery.ServiceWatchListener;
import io.coord.client.discovery.ServiceWatcher;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code coord service watch NAME}. */
@Command(name = "watch", description = {
    "Prints the instances of service NAME, then every change, until interrupted; resumes on"
        + " another member without loss if the serving one fails.",
    "",
    "Simple output, one line each: 'SNAPSHOT REV ID ADDRESS:PORT STATUS' per instance of a"
        + " snapshot (or 'SNAPSHOT REV -' if there is none), 'PUT REV ID ADDRESS:PORT STATUS',"
        + " 'DELETE REV ID'. A snapshot comes first, and again if the watch had to resume past"
        + " compacted history. JSON output: one object per line (docs/cli-json.md)."})
final class ServiceWatchCommand extends ClientCall {
  @Parameters(paramLabel = "NAME", description = "The service.")
  String service;

  @Option(names = "--max-events", paramLabel = "N",
      description = "Exit after N changes (PUT or DELETE; default: until interrupted).")
  long maxEvents;

  @Override
  protected int run(CoordClient client, PrintWriter out) throws Exception {
    boolean json = ((CoordCli) spec.root().userObject()).jsonOutput();
    CompletableFuture<Integer> done = new CompletableFuture<>();
    AtomicLong seen = new AtomicLong();
    ServiceWatcher watcher = client.discovery().watch(service, new ServiceWatchListener() {
      @Override
      public void onSnapshot(long revision, List<ServiceInstance> instances) {
        if (instances.isEmpty()) {
          print(out, json ? Json.object().put("type", "SNAPSHOT").put("revision", revision)
              .put("instance", null) : "SNAPSHOT " + revision + " -");
        }
        for (ServiceInstance i : instances) {
          print(out, json ? Json.object().put("type", "SNAPSHOT").put("revision", revision)
              .put("instance", ServiceText.json(i)) : "SNAPSHOT " + revision + " " + line(i));
        }
      }

      @Override
      public void onEvents(long revision, List<InstanceEvent> events) {
        for (InstanceEvent e : events) {
          boolean put = e.type() == InstanceEvent.Type.PUT;
          print(out, json ? Json.object().put("type", e.type().name()).put("revision", revision)
              .put("id", e.id()).put("instance", put ? ServiceText.json(e.instance()) : null)
              : put ? "PUT " + revision + " " + line(e.instance())
                  : "DELETE " + revision + " " + e.id());
          if (maxEvents > 0 && seen.incrementAndGet() >= maxEvents) {
            done.complete(0);
            return;
          }
        }
      }

      @Override
      public void onError(CoordException error) {
        done.completeExceptionally(error);
      }
    });
    Thread onInterrupt = new Thread(watcher::close, "coord-service-watch-shutdown");
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      return done.join();
    } catch (java.util.concurrent.CompletionException e) {
      throw (RuntimeException) e.getCause();
    } finally {
      watcher.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // Exiting anyway.
      }
    }
  }

  private static String line(ServiceInstance i) {
    return i.id() + " " + i.address() + ":" + i.port() + " " + i.status();
  }

  private static void print(PrintWriter out, Object line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
