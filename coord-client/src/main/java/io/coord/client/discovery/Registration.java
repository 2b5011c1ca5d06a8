package io.coord.client.discovery;

import io.coord.proto.v1.RegisterRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What to register: one instance of a service. Build with {@link #builder(String, String)}.
 * The server checks the limits (see discovery.proto): service names are DNS labels (lowercase
 * letters, digits, '-'), at most 32 tags, weight 1-65535, at most 8 checks.
 *
 * <pre>{@code
 * Registration api1 = Registration.builder("api", "api-1")
 *     .address("10.0.0.1").port(8080).tag("v2").weight(3)
 *     .check(CheckSpec.http("http://10.0.0.1:8080/health").interval(Duration.ofSeconds(5)))
 *     .build();
 * }</pre>
 */
public final class Registration {
  private final String service;
  private final String id;
  private final String address;
  private final int port;
  private final List<String> tags;
  private final Map<String, String> metadata;
  private final int weight;
  private final List<CheckSpec> checks;
  private final Duration deregisterCriticalAfter;

  private Registration(Builder b) {
    this.service = b.service;
    this.id = b.id;
    this.address = Objects.requireNonNull(b.address, "address");
    this.port = b.port;
    this.tags = List.copyOf(b.tags);
    this.metadata = Map.copyOf(b.metadata);
    this.weight = b.weight;
    this.checks = List.copyOf(b.checks);
    this.deregisterCriticalAfter = b.deregisterCriticalAfter;
  }

  public static Builder builder(String service, String id) {
    return new Builder(service, id);
  }

  public String service() {
    return service;
  }

  public String id() {
    return id;
  }

  public String address() {
    return address;
  }

  public int port() {
    return port;
  }

  public List<String> tags() {
    return tags;
  }

  public Map<String, String> metadata() {
    return metadata;
  }

  public int weight() {
    return weight;
  }

  public List<CheckSpec> checks() {
    return checks;
  }

  public Duration deregisterCriticalAfter() {
    return deregisterCriticalAfter;
  }

  RegisterRequest toRequest(long session) {
    RegisterRequest.Builder request = RegisterRequest.newBuilder()
        .setService(service).setInstanceId(id).setAddress(address).setPort(port)
        .addAllTags(tags).putAllMetadata(metadata).setWeight(weight).setSession(session)
        .setDeregisterCriticalAfterMs(deregisterCriticalAfter.toMillis());
    checks.forEach(c -> request.addChecks(c.toProto()));
    return request.build();
  }

  @Override
  public String toString() {
    return service + "/" + id + "@" + address + ":" + port;
  }

  /** Builds a {@link Registration}. */
  public static final class Builder {
    private final String service;
    private final String id;
    private String address;
    private int port;
    private final List<String> tags = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private int weight = 1;
    private final List<CheckSpec> checks = new ArrayList<>();
    private Duration deregisterCriticalAfter = Duration.ZERO;

    private Builder(String service, String id) {
      this.service = Objects.requireNonNull(service, "service");
      this.id = Objects.requireNonNull(id, "id");
    }

    /** Where clients connect: an IP address or host name (required). */
    public Builder address(String address) {
      this.address = address;
      return this;
    }

    /** The port clients connect to (required, 1-65535). */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    public Builder tag(String tag) {
      tags.add(tag);
      return this;
    }

    public Builder tags(List<String> more) {
      tags.addAll(more);
      return this;
    }

    public Builder metadata(String key, String value) {
      metadata.put(key, value);
      return this;
    }

    /** Relative share of traffic (1-65535, default 1). */
    public Builder weight(int weight) {
      this.weight = weight;
      return this;
    }

    public Builder check(CheckSpec check) {
      checks.add(check);
      return this;
    }

    /** Remove the instance once it has been critical this long (default: never). */
    public Builder deregisterCriticalAfter(Duration after) {
      this.deregisterCriticalAfter = after;
      return this;
    }

    public Registration build() {
      return new Registration(this);
    }
  }
}
