package io.coord.server.api;

import io.coord.proto.v1.AddMemberRequest;
import io.coord.proto.v1.AddMemberResponse;
import io.coord.proto.v1.ClusterGrpc;
import io.coord.proto.v1.HealthRequest;
import io.coord.proto.v1.HealthResponse;
import io.coord.proto.v1.MemberStatus;
import io.coord.proto.v1.Member;
import io.coord.proto.v1.PromoteMemberRequest;
import io.coord.proto.v1.PromoteMemberResponse;
import io.coord.proto.v1.RemoveMemberRequest;
import io.coord.proto.v1.RemoveMemberResponse;
import io.coord.proto.v1.TransferLeadershipRequest;
import io.coord.proto.v1.TransferLeadershipResponse;
import io.coord.server.cluster.Membership;
import io.grpc.MethodDescriptor;
import java.util.function.Supplier;
import io.coord.proto.v1.MemberListRequest;
import io.coord.proto.v1.MemberListResponse;
import io.coord.proto.v1.StatusRequest;
import io.coord.proto.v1.StatusResponse;
import io.coord.server.cluster.LeaderRoute;
import io.coord.server.cluster.MemberDirectory;
import io.coord.server.cluster.StatusCollector;
import io.coord.server.statemachine.CoordStateMachine;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** The Cluster gRPC service: membership, membership changes and per-member status. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private final MemberDirectory directory;
  private final StatusCollector status;
  private final CoordStateMachine stateMachine;
  private final Headers headers;
  private final Calls calls;
  private final Membership membership;
  private final LeaderRoute leader;

  ClusterService(MemberDirectory directory, StatusCollector status,
      CoordStateMachine stateMachine, Headers headers, Calls calls, Membership membership,
      LeaderRoute leader) {
    this.directory = directory;
    this.status = status;
    this.stateMachine = stateMachine;
    this.headers = headers;
    this.calls = calls;
    this.membership = membership;
    this.leader = leader;
  }

  @Override
  public void addMember(AddMemberRequest request, StreamObserver<AddMemberResponse> observer) {
    onLeader(observer, ClusterGrpc.getAddMemberMethod(), request, () -> {
      String name = MembershipRequests.name("name", request.getName());
      String address = MembershipRequests.peerAddress(request.getPeerAddress());
      return membership.add(name, address, request.getAsLearner())
          .thenApply(added -> AddMemberResponse.newBuilder()
              .setHeader(headers.at(stateMachine.revision()))
              .setMember(directory.members().stream()
                  .filter(m -> m.getName().equals(added.name())).findFirst()
                  .orElse(Member.newBuilder().setId(directory.memberId(added.name()))
                      .setName(added.name()).setPeerAddress(added.peerAddress())
                      .setIsLearner(added.learner()).build()))
              .addAllMembers(directory.members())
              .build());
    });
  }

  @Override
  public void promoteMember(PromoteMemberRequest request,
      StreamObserver<PromoteMemberResponse> observer) {
    onLeader(observer, ClusterGrpc.getPromoteMemberMethod(), request, () ->
        membership.promote(MembershipRequests.name("name", request.getName()))
            .thenApply(done -> PromoteMemberResponse.newBuilder()
                .setHeader(headers.at(stateMachine.revision()))
                .addAllMembers(directory.members())
                .build()));
  }

  @Override
  public void removeMember(RemoveMemberRequest request,
      StreamObserver<RemoveMemberResponse> observer) {
    onLeader(observer, ClusterGrpc.getRemoveMemberMethod(), request, () ->
        membership.remove(MembershipRequests.name("name", request.getName()))
            .thenApply(done -> RemoveMemberResponse.newBuilder()
                .setHeader(headers.at(stateMachine.revision()))
                .addAllMembers(directory.members().stream()
                    .filter(m -> !m.getName().equals(request.getName())).toList())
                .build()));
  }

  @Override
  public void transferLeadership(TransferLeadershipRequest request,
      StreamObserver<TransferLeadershipResponse> observer) {
    onLeader(observer, ClusterGrpc.getTransferLeadershipMethod(), request, () ->
        membership.transferLeadership(MembershipRequests.name("name", request.getName()))
            .thenApply(done -> TransferLeadershipResponse.newBuilder()
                .setHeader(headers.at(stateMachine.revision()))
                .setLeaderId(directory.leaderId())
                .build()));
  }

  /**
   * Serves a request only the leader can decide: here if this member leads or the request was
   * already forwarded once, else on the leader.
   */
  private <Q, R> void onLeader(StreamObserver<R> observer, MethodDescriptor<Q, R> method,
      Q request, Supplier<CompletableFuture<R>> work) {
    boolean forwarded = ForwardedMark.isForwarded();
    calls.unary(observer, () -> {
      if (forwarded || directory.isLeader()) {
        return work.get();
      }
      return leader.callLeader(method, request, calls.remaining());
    });
  }

  @Override
  public void memberList(MemberListRequest request,
      StreamObserver<MemberListResponse> observer) {
    calls.unary(observer, () -> CompletableFuture.completedFuture(MemberListResponse.newBuilder()
        .setHeader(headers.at(stateMachine.revision()))
        .addAllMembers(directory.members())
        .setLeaderId(directory.leaderId())
        .build()));
  }

  @Override
  public void status(StatusRequest request, StreamObserver<StatusResponse> observer) {
    boolean forwarded = ForwardedMark.isForwarded();
    calls.unary(observer, () -> {
      if (request.getLocalOnly()) {
        MemberStatus local = status.local();
        if (request.getStateHash()) {
          CoordStateMachine.StateDigest digest = stateMachine.stateDigest();
          local = local.toBuilder().setStateHash(digest.hash())
              .setStateHashAppliedIndex(digest.appliedIndex()).build();
        }
        return CompletableFuture.completedFuture(StatusResponse.newBuilder()
            .setHeader(headers.at(stateMachine.revision()))
            .addMembers(local)
            .build());
      }
      return status.cluster(forwarded)
          .thenApply(b -> b.setHeader(headers.at(stateMachine.revision())).build());
    });
  }

  @Override
  public void health(HealthRequest request, StreamObserver<HealthResponse> observer) {
    boolean forwarded = ForwardedMark.isForwarded();
    calls.unary(observer, () -> status.cluster(forwarded).thenApply(members ->
        HealthResponse.newBuilder()
            .setHeader(headers.at(stateMachine.revision()))
            .setHealthy(members.getMembersList().stream().allMatch(MemberStatus::getHealthy))
            .addAllMembers(members.getMembersList())
            .build()));
  }
}
