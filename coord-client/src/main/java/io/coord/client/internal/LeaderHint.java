package io.coord.client.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.coord.proto.v1.ResponseHeader;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the client learned from response headers: which member answers at which endpoint, and
 * which member leads. Writes go to the leader's endpoint first when it is known, saving the hop
 * a follower would need to forward them.
 */
final class LeaderHint {
  private static final long PROBE_INTERVAL_NANOS = 5_000_000_000L;
  private static final Map<Descriptor, Optional<FieldDescriptor>> HEADER_FIELDS =
      new ConcurrentHashMap<>();

  private final Map<Long, String> endpointByMember = new ConcurrentHashMap<>();
  private volatile long leaderId;
  private volatile long lastProbeNanos;

  /** Learns from a successful response of {@code endpoint}. */
  void observe(String endpoint, Object response) {
    if (!(response instanceof Message message)) {
      return;
    }
    Optional<FieldDescriptor> field = HEADER_FIELDS.computeIfAbsent(
        message.getDescriptorForType(), d -> Optional.ofNullable(d.findFieldByName("header"))
            .filter(f -> f.getMessageType() == ResponseHeader.getDescriptor()));
    if (field.isEmpty() || !message.hasField(field.get())) {
      return;
    }
    ResponseHeader header = (ResponseHeader) message.getField(field.get());
    if (header.getMemberId() != 0) {
      endpointByMember.put(header.getMemberId(), endpoint);
    }
    leaderId = header.getLeaderId();
  }

  /** The endpoint of the leader, if the client knows both who leads and where it answers. */
  Optional<String> leaderEndpoint() {
    long leader = leaderId;
    return leader == 0 ? Optional.empty() : Optional.ofNullable(endpointByMember.get(leader));
  }

  /**
   * True, at most once every few seconds, when a leader is known but not where it answers:
   * the caller should then ask every endpoint who it is.
   */
  boolean shouldProbe(long nowNanos) {
    long leader = leaderId;
    if (leader == 0 || endpointByMember.containsKey(leader)
        || nowNanos - lastProbeNanos < PROBE_INTERVAL_NANOS) {
      return false;
    }
    lastProbeNanos = nowNanos;
    return true;
  }

  /** {@code endpoint} failed: stop preferring it until a response says otherwise. */
  void failed(String endpoint) {
    endpointByMember.values().removeIf(endpoint::equals);
  }
}
