package io.coord.client.cluster;

import java.util.List;

/**
 * The health of the cluster.
 *
 * @param healthy true when every member is healthy
 * @param members every member's status; {@link MemberStatus#reason()} says why one is not
 */
public record ClusterHealth(boolean healthy, List<MemberStatus> members) {
  /** The members that are not healthy. */
  public List<MemberStatus> unhealthy() {
    return members.stream().filter(m -> !m.healthy()).toList();
  }
}
