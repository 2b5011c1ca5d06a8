package io.coord.client.discovery;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.StatusOr;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Resolves one service to the addresses of its healthy instances, from a {@link ServiceCache}:
 * every change of the cache is a new resolution result. With no healthy instance, the result
 * is an UNAVAILABLE error (calls fail fast or wait, as the channel decides).
 */
final class CoordNameResolver extends NameResolver {
  private static final Map<String, ?> ROUND_ROBIN =
      Map.of("loadBalancingConfig", List.of(Map.of("round_robin", Map.of())));

  private final DiscoveryClient discovery;
  private final String service;
  private final Args args;
  private final Runnable onShutdown;
  private ServiceCache cache;
  private Listener2 listener;

  CoordNameResolver(DiscoveryClient discovery, String service, Args args, Runnable onShutdown) {
    this.discovery = discovery;
    this.service = service;
    this.args = args;
    this.onShutdown = onShutdown;
  }

  @Override
  public String getServiceAuthority() {
    return service;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    cache = discovery.cache(service);
    cache.addListener((revision, healthy) -> publish(healthy));
    if (cache.ready().isDone()) {
      publish(cache.healthy());
    }
  }

  private void publish(List<ServiceInstance> healthy) {
    List<EquivalentAddressGroup> groups = new ArrayList<>();
    for (ServiceInstance instance : healthy) {
      groups.add(new EquivalentAddressGroup(
          new InetSocketAddress(instance.address(), instance.port())));
    }
    StatusOr<List<EquivalentAddressGroup>> addresses = groups.isEmpty()
        ? StatusOr.fromStatus(Status.UNAVAILABLE.withDescription("no healthy instance of service "
            + service))
        : StatusOr.fromValue(groups);
    ResolutionResult.Builder result = ResolutionResult.newBuilder()
        .setAddressesOrError(addresses);
    ServiceConfigParser parser = args.getServiceConfigParser();
    if (parser != null) {
      result.setServiceConfig(parser.parseServiceConfig(ROUND_ROBIN));
    }
    ResolutionResult built = result.build();
    args.getSynchronizationContext().execute(() -> {
      if (listener != null) {
        listener.onResult2(built);
      }
    });
  }

  @Override
  public void refresh() {
    // Watch-driven: every change is pushed as it happens.
  }

  @Override
  public void shutdown() {
    listener = null;
    if (cache != null) {
      cache.close();
    }
    onShutdown.run();
  }
}
