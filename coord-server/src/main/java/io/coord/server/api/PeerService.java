package io.coord.server.api;

import io.coord.server.peer.CurrentTermRequest;
import io.coord.server.peer.CurrentTermResponse;
import io.coord.server.peer.PeerGrpc;
import io.coord.server.raft.RaftNode;
import io.grpc.stub.StreamObserver;

/** Internal calls between members (see peer.proto). */
final class PeerService extends PeerGrpc.PeerImplBase {
  private final RaftNode raft;
  private final Calls calls;

  PeerService(RaftNode raft, Calls calls) {
    this.raft = raft;
    this.calls = calls;
  }

  @Override
  public void currentTerm(CurrentTermRequest request,
      StreamObserver<CurrentTermResponse> observer) {
    calls.unary(observer, () -> {
      String leader = raft.leaderName();
      return java.util.concurrent.CompletableFuture.completedFuture(
          CurrentTermResponse.newBuilder()
              .setTerm(raft.currentTerm())
              .setLeader(leader == null ? "" : leader)
              .build());
    });
  }
}
