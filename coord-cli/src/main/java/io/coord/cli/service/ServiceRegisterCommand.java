package io.coord.cli.service;

import io.coord.cli.ClientCall;
import io.coord.cli.CoordCli;
import io.coord.cli.Durations;
import io.coord.cli.Json;
import io.coord.client.CoordClient;
import io.coord.client.discovery.CheckSpec;
import io.coord.client.discovery.Registration;
import io.coord.client.discovery.ServiceInstance;
import io.coord.client.discovery.ServiceRegistry;
import io.coord.client.session.Session;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code coord service register NAME}: registers an instance and keeps it in the foreground. */
@Command(name = "register", description = {
    "Registers an instance of service NAME under a new session and keeps the session alive in"
        + " the foreground; if the session is lost it registers again under a new one."
        + " Interrupting (Ctrl-C) deregisters the instance (revokes the session) and exits 0.",
    "",
    "Prints one line per event: 'registered NAME/ID at ADDRESS:PORT, session S (TTL T)',"
        + " 're-registered NAME/ID, session S', 'deregistered NAME/ID'; with -o json one object"
        + " per line (docs/cli-json.md)."})
final class ServiceRegisterCommand extends ClientCall {
  @Parameters(paramLabel = "NAME", description = "The service (lowercase letters, digits, '-').")
  String service;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The instance id.")
  String id;

  @Option(names = "--address", required = true, paramLabel = "HOST",
      description = "IP address or host name clients connect to.")
  String address;

  @Option(names = "--port", required = true, paramLabel = "P", description = "Port (1-65535).")
  int port;

  @Option(names = "--tag", paramLabel = "T", description = "A tag (repeatable).")
  List<String> tags = new ArrayList<>();

  @Option(names = "--meta", paramLabel = "KEY=VALUE", description = "Metadata (repeatable).")
  Map<String, String> metadata = Map.of();

  @Option(names = "--weight", paramLabel = "W", defaultValue = "1",
      description = "Share of traffic, 1-65535 (default: ${DEFAULT-VALUE}).")
  int weight;

  @ArgGroup(exclusive = true)
  Check check;

  static final class Check {
    @Option(names = "--check-http", paramLabel = "URL",
        description = "Health check: GET URL; 2xx passing, 429 warning, else critical.")
    String http;

    @Option(names = "--check-tcp", paramLabel = "HOST:PORT",
        description = "Health check: a TCP connection to HOST:PORT.")
    String tcp;

    @Option(names = "--check-grpc", paramLabel = "HOST:PORT",
        description = "Health check: grpc.health.v1 Check of the server at HOST:PORT.")
    String grpc;
  }

  @Option(names = "--check-interval", paramLabel = "DURATION", defaultValue = "10s",
      converter = Durations.class,
      description = "Time between health probes (default: ${DEFAULT-VALUE}).")
  Duration checkInterval;

  @Option(names = "--deregister-critical-after", paramLabel = "DURATION",
      converter = Durations.class,
      description = "Remove the instance once its check has failed this long.")
  Duration deregisterCriticalAfter;

  @Option(names = "--ttl", paramLabel = "S", defaultValue = "10",
      description = "Session TTL in seconds (the server may raise it; default: ${DEFAULT-VALUE}).")
  long ttlSeconds;

  @Override
  protected int run(CoordClient client, PrintWriter out) throws Exception {
    if (ttlSeconds <= 0) {
      throw new ParameterException(spec.commandLine(), "--ttl: must be positive (got "
          + ttlSeconds + ")");
    }
    boolean json = ((CoordCli) spec.root().userObject()).jsonOutput();
    Registration.Builder registration = Registration.builder(service, id).address(address)
        .port(port).tags(tags).weight(weight);
    metadata.forEach(registration::metadata);
    if (check != null) {
      CheckSpec spec = check.http != null ? CheckSpec.http(check.http)
          : check.tcp != null ? CheckSpec.tcp(check.tcp) : CheckSpec.grpc(check.grpc, "");
      registration.check(spec.interval(checkInterval));
    }
    if (deregisterCriticalAfter != null) {
      registration.deregisterCriticalAfter(deregisterCriticalAfter);
    }
    ServiceRegistry registry = client.discovery().registry(Duration.ofSeconds(ttlSeconds));
    CountDownLatch stopped = new CountDownLatch(1);
    Thread onInterrupt = new Thread(() -> {
      deregister(registry, out, json);
      stopped.countDown();
    }, "coord-service-deregister");
    ServiceInstance instance;
    try {
      instance = registry.register(registration.build());
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    Session session = registry.session();
    print(out, json, "registered", instance.session(), service + "/" + id + " at " + address
        + ":" + port + ", session " + session.id() + " (TTL " + Durations.format(session.ttl())
        + ")");
    registry.onReRegistered(fresh -> print(out, json, "re-registered", fresh.id(),
        service + "/" + id + ", session " + fresh.id()));
    Runtime.getRuntime().addShutdownHook(onInterrupt);
    try {
      stopped.await();
    } catch (InterruptedException interrupted) {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running: it deregisters.
      }
      deregister(registry, out, json);
    }
    return 0;
  }

  private void deregister(ServiceRegistry registry, PrintWriter out, boolean json) {
    long session = registry.session().id();
    registry.close();
    print(out, json, "deregistered", session, service + "/" + id);
  }

  private void print(PrintWriter out, boolean json, String event, long session, String text) {
    synchronized (out) {
      out.println(json ? Json.object().put("event", event).put("service", service)
          .put("id", id).put("session", session) : event + " " + text);
      out.flush();
    }
  }
}
