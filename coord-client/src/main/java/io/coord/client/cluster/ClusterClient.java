package io.coord.client.cluster;

import io.coord.client.kv.KvClient;
import io.coord.client.internal.Transport;
import io.coord.proto.v1.ClusterGrpc;
import io.coord.proto.v1.HealthRequest;
import io.coord.proto.v1.MemberListRequest;
import io.coord.proto.v1.StatusRequest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Membership and member status. Thread-safe. */
public final class ClusterClient {
  private final Transport transport;
  private final Duration timeout;

  /** Created by {@link io.coord.client.CoordClient#cluster()}. */
  public ClusterClient(Transport transport, Duration timeout) {
    this.transport = transport;
    this.timeout = timeout;
  }

  /** The members of the cluster, as the answering member knows them. */
  public CompletableFuture<MemberList> membersAsync() {
    return transport.read(ClusterGrpc.getMemberListMethod(),
        MemberListRequest.getDefaultInstance(), timeout)
        .thenApply(r -> new MemberList(r.getMembersList().stream().map(Member::of).toList(),
            r.getLeaderId()));
  }

  public MemberList members() {
    return KvClient.await(membersAsync());
  }

  /** The status of every member (unreachable ones are listed as unhealthy). */
  public CompletableFuture<List<MemberStatus>> statusAsync() {
    return transport.read(ClusterGrpc.getStatusMethod(), StatusRequest.getDefaultInstance(),
        timeout).thenApply(r -> r.getMembersList().stream().map(MemberStatus::of).toList());
  }

  public List<MemberStatus> status() {
    return KvClient.await(statusAsync());
  }

  /**
   * The health of every member and of the cluster as a whole, as the leader sees it when it can
   * be reached. A member that stops answering is reported unhealthy within two election
   * timeouts.
   */
  public CompletableFuture<ClusterHealth> healthAsync() {
    return transport.read(ClusterGrpc.getHealthMethod(), HealthRequest.getDefaultInstance(),
        timeout).thenApply(r -> new ClusterHealth(r.getHealthy(),
            r.getMembersList().stream().map(MemberStatus::of).toList()));
  }

  public ClusterHealth health() {
    return KvClient.await(healthAsync());
  }

  /** The status of the member at {@code endpoint} only, asked directly (no failover). */
  public MemberStatus localStatus(String endpoint) {
    return KvClient.await(transport.callOnce(endpoint, ClusterGrpc.getStatusMethod(),
        StatusRequest.newBuilder().setLocalOnly(true).build(), timeout)
        .thenApply(r -> MemberStatus.of(r.getMembers(0))));
  }

  /**
   * The member list and the leader's id.
   *
   * @param members every member of the Raft configuration
   * @param leaderId the leader's id, or 0 if the answering member knows none
   */
  public record MemberList(List<Member> members, long leaderId) {
    /** The leader, if known. */
    public Optional<Member> leader() {
      return members.stream().filter(m -> m.id() == leaderId).findFirst();
    }
  }
}
