package io.coord.client.discovery;

import io.coord.client.CoordClient;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * gRPC name resolution for {@code coord:} targets: a channel to {@code coord:///api} talks to
 * the healthy instances of service "api", kept current by a watch, balanced by gRPC's
 * {@code round_robin} policy (unless the channel configures another).
 *
 * <p>Which cluster to ask:
 * <ul>
 *   <li>{@code coord://HOST:PORT/api} or {@code coord:///api?endpoints=HOST:PORT,HOST:PORT}
 *       (both may be combined): the members named in the target;</li>
 *   <li>{@code coord:///api} with a provider made by {@link #CoordNameResolverProvider(
 *       CoordClient)} and registered with {@code NameResolverRegistry.getDefaultRegistry()
 *       .register(provider)}: that client's cluster (it takes precedence over the default
 *       provider);</li>
 *   <li>{@code coord:///api} with the default provider (registered through
 *       {@code META-INF/services}): the members in the system property {@code coord.endpoints}
 *       or else the environment variable {@code COORD_ENDPOINTS} (comma-separated).</li>
 * </ul>
 * A client created from the target or the environment is shared by the channels that name the
 * same members and closed when the last of them shuts down.
 */
public final class CoordNameResolverProvider extends NameResolverProvider {
  /** The URI scheme. */
  public static final String SCHEME = "coord";
  private static final Map<String, Shared> SHARED = new HashMap<>();

  private final CoordClient client;

  /** The default provider: the cluster comes from the target or the environment. */
  public CoordNameResolverProvider() {
    this.client = null;
  }

  /** A provider that resolves {@code coord:///service} through {@code client}. */
  public CoordNameResolverProvider(CoordClient client) {
    this.client = client;
  }

  @Override
  protected boolean isAvailable() {
    return true;
  }

  /**
   * Below gRPC's DNS provider (5): the registry makes the scheme of its highest-priority
   * provider the default for targets without a scheme ("host:port"), which must stay "dns".
   * A provider bound to a client wins over the default one for "coord".
   */
  @Override
  protected int priority() {
    return client != null ? 4 : 3;
  }

  @Override
  public String getDefaultScheme() {
    return SCHEME;
  }

  @Override
  public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
    return List.of(InetSocketAddress.class);
  }

  @Override
  public NameResolver newNameResolver(URI target, NameResolver.Args args) {
    if (!SCHEME.equals(target.getScheme())) {
      return null;
    }
    String path = target.getPath() == null ? "" : target.getPath();
    String service = path.startsWith("/") ? path.substring(1) : path;
    if (service.isEmpty()) {
      throw new IllegalArgumentException("a coord target names a service: coord:///SERVICE"
          + " (got " + target + ")");
    }
    String named = named(target);
    if (named.isEmpty() && client != null) {
      return new CoordNameResolver(client.discovery(), service, args, () -> { });
    }
    String endpoints = !named.isEmpty() ? named : fromEnvironment();
    if (endpoints == null) {
      throw new IllegalArgumentException("no Coord cluster for " + target + ": name the members"
          + " in the target (coord:///" + service + "?endpoints=HOST:PORT,...), set"
          + " coord.endpoints or"
          + " COORD_ENDPOINTS, or register a CoordNameResolverProvider made with a client");
    }
    Shared shared = acquire(endpoints);
    return new CoordNameResolver(shared.client.discovery(), service, args,
        () -> release(endpoints));
  }

  /** The members a target names: its authority, then its endpoints= query parameter. */
  private static String named(URI target) {
    List<String> endpoints = new java.util.ArrayList<>();
    if (target.getAuthority() != null && !target.getAuthority().isEmpty()) {
      endpoints.add(target.getAuthority());
    }
    String query = target.getQuery();
    if (query != null) {
      for (String parameter : query.split("&")) {
        if (parameter.startsWith("endpoints=")) {
          Arrays.stream(parameter.substring("endpoints=".length()).split(","))
              .map(String::trim).filter(e -> !e.isEmpty()).forEach(endpoints::add);
        }
      }
    }
    return String.join(",", endpoints);
  }

  private static String fromEnvironment() {
    String property = System.getProperty("coord.endpoints");
    if (property != null && !property.isBlank()) {
      return property;
    }
    String env = System.getenv("COORD_ENDPOINTS");
    return env == null || env.isBlank() ? null : env;
  }

  private static final class Shared {
    final CoordClient client;
    int users;

    Shared(CoordClient client) {
      this.client = client;
    }
  }

  private static Shared acquire(String endpoints) {
    synchronized (SHARED) {
      Shared shared = SHARED.computeIfAbsent(endpoints, e -> new Shared(CoordClient.builder()
          .endpoints(Arrays.stream(e.split(",")).map(String::trim).filter(s -> !s.isEmpty())
              .toList())
          .build()));
      shared.users++;
      return shared;
    }
  }

  private static void release(String endpoints) {
    CoordClient toClose = null;
    synchronized (SHARED) {
      Shared shared = SHARED.get(endpoints);
      if (shared != null && --shared.users == 0) {
        SHARED.remove(endpoints);
        toClose = shared.client;
      }
    }
    if (toClose != null) {
      toClose.close();
    }
  }
}
