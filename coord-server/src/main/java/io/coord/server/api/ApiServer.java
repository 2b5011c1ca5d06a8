package io.coord.server.api;

import io.grpc.BindableService;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The client-facing gRPC server: Coord's services, gRPC health and server reflection. */
public final class ApiServer implements AutoCloseable {
  private final Server server;
  private final ForkJoinPool calls = callPool();
  private final HealthStatusManager health = new HealthStatusManager();
  private final List<String> serviceNames;

  public ApiServer(InetSocketAddress address, List<BindableService> services,
      int maxInboundMessageBytes) {
    this(address, services, maxInboundMessageBytes, List.of());
  }

  /** @param outer interceptors of every call, health and reflection included (metrics) */
  public ApiServer(InetSocketAddress address, List<BindableService> services,
      int maxInboundMessageBytes, List<io.grpc.ServerInterceptor> outer) {
    NettyServerBuilder builder = NettyServerBuilder.forAddress(address)
        .maxInboundMessageSize(maxInboundMessageBytes)
        // Clients ping long-lived streams (gRPC's minimum is every 10 s); do not answer those
        // pings with GOAWAY "too many pings".
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .executor(calls)
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance());
    for (BindableService service : services) {
      builder.addService(ServerInterceptors.intercept(service, new RequestIds(),
          new ForwardedMark()));
    }
    outer.forEach(builder::intercept);
    this.server = builder.build();
    this.serviceNames = services.stream()
        .map(service -> service.bindService().getServiceDescriptor().getName()).toList();
  }

  /**
   * The threads that run the handlers. A work-stealing pool: gRPC's default, a cached pool,
   * hands every call's events over to a parked thread. Handlers must not block: what waits
   * (snapshots) runs on threads of its own.
   */
  private static ForkJoinPool callPool() {
    AtomicInteger threads = new AtomicInteger();
    return new ForkJoinPool(Math.max(4, Runtime.getRuntime().availableProcessors()), pool -> {
      ForkJoinWorkerThread thread =
          ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      thread.setName("coord-api-calls-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }, null, true);
  }

  /** Names of Coord's gRPC services (for per-service health). */
  public List<String> serviceNames() {
    return serviceNames;
  }

  public void start() throws IOException {
    server.start();
  }

  /** The bound port (useful when listening on port 0). */
  public int port() {
    return server.getPort();
  }

  public HealthStatusManager health() {
    return health;
  }

  @Override
  public void close() {
    health.enterTerminalState();
    server.shutdown();
    try {
      if (!server.awaitTermination(3, TimeUnit.SECONDS)) {
        server.shutdownNow();
        server.awaitTermination(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.shutdownNow();
    }
    calls.shutdown();
  }
}
