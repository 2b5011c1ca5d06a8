package io.coord.client.discovery;

import io.coord.proto.v1.Instance;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A registered instance as the cluster stores it, with its health. Immutable.
 *
 * @param service the service name
 * @param id the instance id
 * @param address IP address or host name
 * @param port the port
 * @param tags its tags
 * @param metadata its metadata
 * @param weight relative share of traffic (1-65535)
 * @param session the owning session: the instance disappears when it ends
 * @param status PASSING, WARNING or CRITICAL (the worst of its checks)
 * @param checks its checks with their latest results
 * @param deregisterCriticalAfter removal after this long critical (zero: never)
 * @param registeredAt the leader's time of the last registration
 * @param createRevision revision that created it
 * @param modRevision revision of its last change
 */
public record ServiceInstance(String service, String id, String address, int port,
    List<String> tags, Map<String, String> metadata, int weight, long session,
    HealthStatus status, List<CheckState> checks, Duration deregisterCriticalAfter,
    Instant registeredAt, long createRevision, long modRevision) {

  /** True if it may get traffic: PASSING or WARNING. */
  public boolean healthy() {
    return status.healthy();
  }

  /** True if it carries {@code tag}. */
  public boolean hasTag(String tag) {
    return tags.contains(tag);
  }

  /** address:port, unresolved. */
  public InetSocketAddress socketAddress() {
    return InetSocketAddress.createUnresolved(address, port);
  }

  static ServiceInstance of(Instance instance) {
    return new ServiceInstance(instance.getService(), instance.getId(), instance.getAddress(),
        instance.getPort(), List.copyOf(instance.getTagsList()),
        Map.copyOf(instance.getMetadataMap()), instance.getWeight(), instance.getSession(),
        HealthStatus.of(instance.getStatus()),
        instance.getChecksList().stream().map(CheckState::of).toList(),
        Duration.ofMillis(instance.getDeregisterCriticalAfterMs()),
        Instant.ofEpochMilli(instance.getRegisteredAtMs()), instance.getCreateRevision(),
        instance.getModRevision());
  }
}
