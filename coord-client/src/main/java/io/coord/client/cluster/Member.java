package io.coord.client.cluster;

/**
 * A member of the cluster.
 *
 * @param id stable numeric id
 * @param name configured name, e.g. n1
 * @param peerAddress host:port of its Raft transport
 * @param clientAddress host:port of its client API (empty until published)
 * @param httpAddress host:port of its HTTP endpoint (empty if none)
 * @param learner true for a non-voting member
 */
public record Member(long id, String name, String peerAddress, String clientAddress,
    String httpAddress, boolean learner) {

  /** Converts the wire form. */
  public static Member of(io.coord.proto.v1.Member member) {
    return new Member(member.getId(), member.getName(), member.getPeerAddress(),
        member.getClientAddress(), member.getHttpAddress(), member.getIsLearner());
  }
}
