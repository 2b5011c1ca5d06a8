package io.coord.server.api;

import io.coord.proto.v1.ResponseHeader;
import java.util.function.LongSupplier;

/** Fills the member-specific fields of response headers. */
public final class Headers {
  private final long clusterId;
  private final long memberId;
  private final LongSupplier term;
  private final LongSupplier leaderId;

  /**
   * @param term the member's current Raft term
   * @param leaderId the id of the leader the member knows, 0 if none
   */
  public Headers(long clusterId, long memberId, LongSupplier term, LongSupplier leaderId) {
    this.clusterId = clusterId;
    this.memberId = memberId;
    this.term = term;
    this.leaderId = leaderId;
  }

  /** A header at {@code revision}. */
  public ResponseHeader at(long revision) {
    return ResponseHeader.newBuilder()
        .setClusterId(clusterId)
        .setMemberId(memberId)
        .setRevision(revision)
        .setRaftTerm(term.getAsLong())
        .setLeaderId(leaderId.getAsLong())
        .build();
  }

  /** {@code header} (revision only, from apply) completed with this member's fields. */
  public ResponseHeader complete(ResponseHeader header) {
    return at(header.getRevision());
  }

  public long clusterId() {
    return clusterId;
  }

  public long memberId() {
    return memberId;
  }
}
