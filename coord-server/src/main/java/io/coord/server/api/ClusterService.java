package io.coord.server.api;

import io.coord.proto.v1.ClusterGrpc;
import io.coord.proto.v1.HealthRequest;
import io.coord.proto.v1.HealthResponse;
import io.coord.proto.v1.MemberStatus;
import io.coord.proto.v1.MemberListRequest;
import io.coord.proto.v1.MemberListResponse;
import io.coord.proto.v1.StatusRequest;
import io.coord.proto.v1.StatusResponse;
import io.coord.server.cluster.MemberDirectory;
import io.coord.server.cluster.StatusCollector;
import io.coord.server.statemachine.CoordStateMachine;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/** The Cluster gRPC service: membership and per-member status. */
public final class ClusterService extends ClusterGrpc.ClusterImplBase {
  private final MemberDirectory directory;
  private final StatusCollector status;
  private final CoordStateMachine stateMachine;
  private final Headers headers;
  private final Calls calls;

  ClusterService(MemberDirectory directory, StatusCollector status,
      CoordStateMachine stateMachine, Headers headers, Calls calls) {
    this.directory = directory;
    this.status = status;
    this.stateMachine = stateMachine;
    this.headers = headers;
    this.calls = calls;
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
        return CompletableFuture.completedFuture(StatusResponse.newBuilder()
            .setHeader(headers.at(stateMachine.revision()))
            .addMembers(status.local())
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
