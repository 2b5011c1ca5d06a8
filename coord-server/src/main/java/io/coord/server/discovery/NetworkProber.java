package io.coord.server.discovery;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import io.coord.proto.v1.CheckDefinition;
import io.coord.proto.v1.HealthStatus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Probes over the network: HTTP GET (JDK HttpClient; 2xx passing, 429 warning, else critical),
 * TCP connect, and grpc.health.v1 Check. Used by the leader only.
 */
public final class NetworkProber implements Prober, AutoCloseable {
  private final ExecutorService pool;
  private final HttpClient http;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public NetworkProber(String memberName) {
    this.pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "coord-health-probe-" + memberName);
      t.setDaemon(true);
      return t;
    });
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .followRedirects(HttpClient.Redirect.NEVER)
        .connectTimeout(Duration.ofSeconds(5))
        .executor(pool)
        .build();
  }

  @Override
  public CompletableFuture<ProbeOutcome> probe(CheckDefinition check) {
    Duration timeout = Duration.ofMillis(check.getTimeoutMs());
    CompletableFuture<ProbeOutcome> outcome;
    try {
      outcome = switch (check.getTargetCase()) {
        case HTTP -> http(check.getHttp().getUrl(), timeout);
        case TCP -> tcp(check.getTcp().getAddress(), timeout);
        case GRPC -> grpc(check.getGrpc().getAddress(), check.getGrpc().getService(), timeout);
        case TARGET_NOT_SET -> CompletableFuture.completedFuture(
            ProbeOutcome.critical("no target"));
      };
    } catch (RuntimeException e) {
      outcome = CompletableFuture.completedFuture(ProbeOutcome.critical(e.toString()));
    }
    return outcome
        .completeOnTimeout(ProbeOutcome.critical("no answer within " + timeout.toMillis()
            + " ms"), timeout.toMillis() + 200, TimeUnit.MILLISECONDS)
        .exceptionally(e -> ProbeOutcome.critical(describe(e)));
  }

  private CompletableFuture<ProbeOutcome> http(String url, Duration timeout) {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
        .header("User-Agent", "coord-health-check").GET().build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(response -> {
      int code = response.statusCode();
      HealthStatus status = code >= 200 && code < 300 ? HealthStatus.PASSING
          : code == 429 ? HealthStatus.WARNING : HealthStatus.CRITICAL;
      return new ProbeOutcome(status, "HTTP GET " + url + ": " + code);
    }).exceptionally(e -> ProbeOutcome.critical("HTTP GET " + url + ": " + describe(e)));
  }

  private CompletableFuture<ProbeOutcome> tcp(String address, Duration timeout) {
    HostAndPort target = HostAndPort.parse(address);
    CompletableFuture<ProbeOutcome> outcome = new CompletableFuture<>();
    try {
      pool.execute(() -> {
        try (Socket socket = new Socket()) {
          socket.connect(new InetSocketAddress(target.host(), target.port()),
              (int) timeout.toMillis());
          outcome.complete(ProbeOutcome.passing("TCP connect " + address + ": success"));
        } catch (IOException e) {
          outcome.complete(ProbeOutcome.critical("TCP connect " + address + ": "
              + describe(e)));
        }
      });
    } catch (RejectedExecutionException closed) {
      outcome.complete(ProbeOutcome.critical("member stopping"));
    }
    return outcome;
  }

  private CompletableFuture<ProbeOutcome> grpc(String address, String service,
      Duration timeout) {
    // A direct address: no name resolver, whatever providers the process has registered.
    ManagedChannel channel = channels.computeIfAbsent(address, a -> {
      HostAndPort target = HostAndPort.parse(a);
      return NettyChannelBuilder.forAddress(new InetSocketAddress(target.host(), target.port()))
          .usePlaintext().build();
    });
    CompletableFuture<ProbeOutcome> outcome = new CompletableFuture<>();
    Futures.addCallback(HealthGrpc.newFutureStub(channel)
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .check(HealthCheckRequest.newBuilder().setService(service).build()),
        new FutureCallback<HealthCheckResponse>() {
          @Override
          public void onSuccess(HealthCheckResponse response) {
            outcome.complete(new ProbeOutcome(
                response.getStatus() == HealthCheckResponse.ServingStatus.SERVING
                    ? HealthStatus.PASSING : HealthStatus.CRITICAL,
                "gRPC health " + address + ": " + response.getStatus()));
          }

          @Override
          public void onFailure(Throwable t) {
            outcome.complete(ProbeOutcome.critical("gRPC health " + address + ": "
                + Status.fromThrowable(t)));
          }
        }, MoreExecutors.directExecutor());
    return outcome;
  }

  /** Closes the gRPC channels (reopened on the next gRPC probe). */
  public void reset() {
    for (String address : java.util.List.copyOf(channels.keySet())) {
      ManagedChannel channel = channels.remove(address);
      if (channel != null) {
        channel.shutdownNow();
      }
    }
  }

  private static String describe(Throwable e) {
    Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
        ? e.getCause() : e;
    return cause.getMessage() == null ? cause.getClass().getSimpleName()
        : cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }

  @Override
  public void close() {
    reset();
    pool.shutdownNow();
  }

  /** host:port, with an IPv6 host in brackets or bare. */
  record HostAndPort(String host, int port) {
    static HostAndPort parse(String address) {
      int colon = address.lastIndexOf(':');
      String host = address.substring(0, colon);
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      return new HostAndPort(host, Integer.parseInt(address.substring(colon + 1)));
    }
  }
}
