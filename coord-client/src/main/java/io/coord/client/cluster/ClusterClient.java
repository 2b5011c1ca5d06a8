package io.coord.client.cluster;

import io.coord.client.kv.KvClient;
import io.coord.client.internal.Transport;
import io.coord.proto.v1.AddMemberRequest;
import io.coord.proto.v1.ClusterGrpc;
import io.coord.proto.v1.HealthRequest;
import io.coord.proto.v1.PromoteMemberRequest;
import io.coord.proto.v1.RemoveMemberRequest;
import io.coord.proto.v1.TransferLeadershipRequest;
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
   * The hash of the replicated state of the member at {@code endpoint} and the applied index
   * it reflects, asked directly (no failover). Members that applied the same log hash equal.
   * The member scans its whole store: meant for consistency checks after tests, not for
   * monitoring.
   */
  public StateHash stateHash(String endpoint) {
    return KvClient.await(transport.callOnce(endpoint, ClusterGrpc.getStatusMethod(),
        StatusRequest.newBuilder().setLocalOnly(true).setStateHash(true).build(), timeout)
        .thenApply(r -> new StateHash(r.getMembers(0).getMember().getName(),
            r.getMembers(0).getStateHashAppliedIndex(), r.getMembers(0).getStateHash())));
  }

  /**
   * A member's state hash.
   *
   * @param member the member's name
   * @param appliedIndex the Raft log index of the last entry applied to the hashed state
   * @param hash SHA-256 (hex) of the replicated state
   */
  public record StateHash(String member, long appliedIndex, String hash) {}

  /**
   * Adds a member. Start it first with {@code coord.cluster.initial-state=existing} and
   * {@code coord.cluster.initial-members} naming the current members and itself; it joins
   * empty and catches up from the leader (by snapshot when the log was purged).
   *
   * @param name its configured name (coord.name)
   * @param peerAddress host:port of its Raft transport
   * @param learner join as a non-voting learner, to be promoted with
   *     {@link #promoteMember(String)} once caught up; else it becomes a voter once caught up
   * @return the added member (addresses appear once it published them)
   * @throws io.coord.client.CoordException reason {@code MEMBERSHIP_REFUSED} when the name or
   *     address is taken, the member does not answer or another change is in progress
   */
  public Member addMember(String name, String peerAddress, boolean learner) {
    return KvClient.await(transport.admin(ClusterGrpc.getAddMemberMethod(),
        AddMemberRequest.newBuilder().setName(name).setPeerAddress(peerAddress)
            .setAsLearner(learner).build(), adminTimeout())
        .thenApply(r -> Member.of(r.getMember())));
  }

  /**
   * Makes a learner a voter.
   *
   * @throws io.coord.client.CoordException reason {@code MEMBERSHIP_REFUSED} while it is
   *     behind the leader; {@link io.coord.client.NotFoundException} for an unknown name
   */
  public void promoteMember(String name) {
    KvClient.await(transport.admin(ClusterGrpc.getPromoteMemberMethod(),
        PromoteMemberRequest.newBuilder().setName(name).build(), adminTimeout()));
  }

  /**
   * Removes a member; it stops serving. Removing the leader first moves leadership.
   *
   * @throws io.coord.client.CoordException reason {@code MEMBERSHIP_REFUSED} when the cluster
   *     would lose quorum (the message names the members)
   */
  public void removeMember(String name) {
    KvClient.await(transport.admin(ClusterGrpc.getRemoveMemberMethod(),
        RemoveMemberRequest.newBuilder().setName(name).build(), adminTimeout()));
  }

  /**
   * Moves leadership to the voter {@code name}; returns once it leads.
   *
   * @return the id of the leader afterwards
   */
  public long transferLeadership(String name) {
    return KvClient.await(transport.admin(ClusterGrpc.getTransferLeadershipMethod(),
        TransferLeadershipRequest.newBuilder().setName(name).build(), adminTimeout())
        .thenApply(r -> r.getLeaderId()));
  }

  /** Membership changes may wait for a new member to catch up: at least a minute. */
  private Duration adminTimeout() {
    return timeout.compareTo(Duration.ofSeconds(60)) < 0 ? Duration.ofSeconds(60) : timeout;
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
