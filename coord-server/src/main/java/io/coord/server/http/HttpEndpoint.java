package io.coord.server.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.coord.server.metrics.CoordMetrics;
import io.prometheus.metrics.exporter.httpserver.MetricsHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The member's HTTP endpoint: {@code /metrics} (Prometheus text format), {@code /livez},
 * {@code /readyz} (200 or 503, {@code ?verbose} lists every check) and {@code /health}
 * (etcd's JSON, {@code ?serializable=true} skips the linearizable read).
 */
public final class HttpEndpoint implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final HealthChecks checks;

  public HttpEndpoint(InetSocketAddress address, CoordMetrics metrics, HealthChecks checks)
      throws IOException {
    this.checks = checks;
    server = HttpServer.create(address, 16);
    executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(64),
        r -> {
          Thread t = new Thread(r, "coord-http");
          t.setDaemon(true);
          return t;
        });
    server.setExecutor(executor);
    server.createContext("/metrics", new MetricsHandler(metrics.registry()));
    server.createContext("/livez", exchange -> probe(exchange, checks::live));
    server.createContext("/readyz", exchange -> probe(exchange, () -> checks.ready(true)));
    server.createContext("/health", this::health);
    server.createContext("/", exchange -> {
      if (exchange.getRequestURI().getPath().equals("/")) {
        send(exchange, 200, "text/plain", "/metrics /livez /readyz /health\n");
      } else {
        send(exchange, 404, "text/plain", "not found: /metrics /livez /readyz /health\n");
      }
    });
  }

  public void start() {
    server.start();
  }

  /** The bound port (useful when listening on port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void probe(HttpExchange exchange, Supplier<List<HealthChecks.Check>> run)
      throws IOException {
    String path = exchange.getRequestURI().getPath();
    List<HealthChecks.Check> results = run.get();
    String only = path.replaceFirst("^/(livez|readyz)/?", "");
    if (!only.isEmpty()) {
      results = results.stream().filter(c -> c.name().equals(only)).toList();
      if (results.isEmpty()) {
        send(exchange, 404, "text/plain", "no check named " + only + "\n");
        return;
      }
    }
    boolean ok = results.stream().allMatch(HealthChecks.Check::ok);
    String query = exchange.getRequestURI().getQuery();
    boolean verbose = query != null && query.contains("verbose");
    StringBuilder body = new StringBuilder();
    if (verbose || !ok) {
      for (HealthChecks.Check check : results) {
        body.append(check.ok() ? "[+]" : "[-]").append(check.name()).append(' ')
            .append(check.ok() ? "ok" : "failed: " + check.detail()).append('\n');
      }
    }
    body.append(ok ? "ok\n" : path.substring(1).replaceFirst("/.*", "") + " check failed\n");
    send(exchange, ok ? 200 : 503, "text/plain", body.toString());
  }

  private void health(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getQuery();
    boolean serializable = query != null && query.contains("serializable=true");
    String reason = "";
    for (HealthChecks.Check check : checks.ready(!serializable)) {
      if (!check.ok()) {
        reason = switch (check.name()) {
          case "leader" -> "RAFT NO LEADER";
          case "linearizable_read" -> "LINEARIZABLE READ FAILED: " + check.detail();
          default -> check.name().toUpperCase(java.util.Locale.ROOT) + ": " + check.detail();
        };
        break;
      }
    }
    boolean healthy = reason.isEmpty();
    send(exchange, healthy ? 200 : 503, "application/json",
        "{\"health\":\"" + healthy + "\",\"reason\":\"" + reason.replace("\\", "\\\\")
            .replace("\"", "\\\"") + "\"}\n");
  }

  private static void send(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.sendResponseHeaders(code, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
