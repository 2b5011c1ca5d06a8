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
import java.util.concurrent.TimeUnit;

/** The client-facing gRPC server: Coord's services, gRPC health and server reflection. */
public final class ApiServer implements AutoCloseable {
  private final Server server;
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
  }
}
