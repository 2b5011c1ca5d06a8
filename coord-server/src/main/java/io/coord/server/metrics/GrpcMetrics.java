package io.coord.server.metrics;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.snapshots.Unit;

/**
 * Client gRPC requests by service, method and status code, with go-grpc-prometheus's names
 * (as etcd exposes them): {@code grpc_server_started_total}, {@code grpc_server_handled_total}
 * and {@code grpc_server_handling_seconds}.
 */
public final class GrpcMetrics implements ServerInterceptor {
  private final Counter started;
  private final Counter handled;
  private final Histogram handling;

  public GrpcMetrics(CoordMetrics metrics) {
    started = Counter.builder().name("grpc_server_started")
        .help("RPCs started on the server.")
        .labelNames("grpc_type", "grpc_service", "grpc_method")
        .register(metrics.registry());
    handled = Counter.builder().name("grpc_server_handled")
        .help("RPCs completed on the server, whatever their outcome.")
        .labelNames("grpc_type", "grpc_service", "grpc_method", "grpc_code")
        .register(metrics.registry());
    handling = Histogram.builder().name("grpc_server_handling_seconds")
        .help("Time from the start of an RPC to its completion by the server.")
        .unit(Unit.SECONDS)
        .labelNames("grpc_type", "grpc_service", "grpc_method")
        .classicOnly()
        .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1,
            2.5, 5, 10, 30)
        .register(metrics.registry());
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    MethodDescriptor<Q, R> method = call.getMethodDescriptor();
    String type = type(method.getType());
    String service = method.getServiceName() == null ? "" : method.getServiceName();
    String name = method.getBareMethodName() == null ? "" : method.getBareMethodName();
    long start = System.nanoTime();
    started.labelValues(type, service, name).inc();
    return next.startCall(new ForwardingServerCall.SimpleForwardingServerCall<>(call) {
      @Override
      public void close(Status status, Metadata trailers) {
        handled.labelValues(type, service, name, status.getCode().name()).inc();
        handling.labelValues(type, service, name).observe((System.nanoTime() - start) / 1e9);
        super.close(status, trailers);
      }
    }, headers);
  }

  private static String type(MethodDescriptor.MethodType type) {
    return switch (type) {
      case UNARY -> "unary";
      case CLIENT_STREAMING -> "client_stream";
      case SERVER_STREAMING -> "server_stream";
      case BIDI_STREAMING -> "bidi_stream";
      default -> "unknown";
    };
  }
}
