package io.coord.client;

import io.coord.proto.v1.ResponseHeader;

/**
 * Carried by every result: which cluster and member served it, at which revision and term.
 *
 * @param clusterId identifies the cluster
 * @param memberId the member that served the request
 * @param revision the store revision the result reflects
 * @param raftTerm the Raft term the member knew
 */
public record Header(long clusterId, long memberId, long revision, long raftTerm) {
  /** Converts the wire header. */
  public static Header of(ResponseHeader header) {
    return new Header(header.getClusterId(), header.getMemberId(), header.getRevision(),
        header.getRaftTerm());
  }
}
