package io.coord.client.discovery;

import io.coord.proto.v1.CheckDefinition;
import io.coord.proto.v1.GrpcCheck;
import io.coord.proto.v1.HttpCheck;
import io.coord.proto.v1.TcpCheck;
import java.time.Duration;
import java.util.Objects;

/**
 * An active health check, run by the cluster's leader: an HTTP GET (2xx passing, 429 warning,
 * anything else critical), a TCP connect, or a gRPC health check. Immutable; the {@code with}
 * methods return a modified copy.
 *
 * <pre>{@code
 * CheckSpec.http("http://10.0.0.1:8080/health").interval(Duration.ofSeconds(5))
 *     .timeout(Duration.ofSeconds(1)).failureThreshold(3)
 * }</pre>
 */
public final class CheckSpec {
  private final CheckDefinition definition;

  private CheckSpec(CheckDefinition definition) {
    this.definition = definition;
  }

  /** GET {@code url}. */
  public static CheckSpec http(String url) {
    return new CheckSpec(CheckDefinition.newBuilder()
        .setHttp(HttpCheck.newBuilder().setUrl(url)).build());
  }

  /** Connect to {@code hostPort}. */
  public static CheckSpec tcp(String hostPort) {
    return new CheckSpec(CheckDefinition.newBuilder()
        .setTcp(TcpCheck.newBuilder().setAddress(hostPort)).build());
  }

  /** grpc.health.v1 Check of {@code service} ("" = the server) at {@code hostPort}. */
  public static CheckSpec grpc(String hostPort, String service) {
    return new CheckSpec(CheckDefinition.newBuilder()
        .setGrpc(GrpcCheck.newBuilder().setAddress(hostPort).setService(service)).build());
  }

  /** The check's name, unique in its instance (default: check-N). */
  public CheckSpec name(String name) {
    return new CheckSpec(definition.toBuilder().setName(name).build());
  }

  /** Time between probes (default 10 s; 100 ms - 1 h). */
  public CheckSpec interval(Duration interval) {
    return new CheckSpec(definition.toBuilder().setIntervalMs(interval.toMillis()).build());
  }

  /** Longest a probe may take (default min(interval, 5 s)). */
  public CheckSpec timeout(Duration timeout) {
    return new CheckSpec(definition.toBuilder().setTimeoutMs(timeout.toMillis()).build());
  }

  /** Consecutive failures that make the check critical (default 1). */
  public CheckSpec failureThreshold(int failures) {
    return new CheckSpec(definition.toBuilder().setFailureThreshold(failures).build());
  }

  public String name() {
    return definition.getName();
  }

  /** What is probed: the URL, or host:port. */
  public String target() {
    return switch (definition.getTargetCase()) {
      case HTTP -> definition.getHttp().getUrl();
      case TCP -> definition.getTcp().getAddress();
      case GRPC -> definition.getGrpc().getAddress()
          + (definition.getGrpc().getService().isEmpty() ? "" : "/"
              + definition.getGrpc().getService());
      case TARGET_NOT_SET -> "";
    };
  }

  /** http, tcp or grpc. */
  public String kind() {
    return definition.getTargetCase().name().toLowerCase(java.util.Locale.ROOT);
  }

  public Duration interval() {
    return Duration.ofMillis(definition.getIntervalMs());
  }

  public Duration timeout() {
    return Duration.ofMillis(definition.getTimeoutMs());
  }

  public int failureThreshold() {
    return definition.getFailureThreshold();
  }

  CheckDefinition toProto() {
    return definition;
  }

  static CheckSpec of(CheckDefinition definition) {
    return new CheckSpec(definition);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CheckSpec other && definition.equals(other.definition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(definition);
  }

  @Override
  public String toString() {
    return kind() + " " + target();
  }
}
