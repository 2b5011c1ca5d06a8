package io.coord.server.cluster;

import io.coord.server.command.PublishMember;
import io.coord.server.error.CoordError;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Sends a client call on to the leader's client API, marked as forwarded so the leader serves
 * it itself. For requests only the leader can decide (membership changes).
 */
public final class LeaderForwarder {
  private final io.coord.server.raft.RaftNode raft;
  private final MemberDirectory directory;
  private final PeerChannels channels;

  public LeaderForwarder(io.coord.server.raft.RaftNode raft, MemberDirectory directory,
      PeerChannels channels) {
    this.raft = raft;
    this.directory = directory;
    this.channels = channels;
  }

  /** Calls {@code method} on the leader, failing with NO_LEADER if it cannot be addressed. */
  public <Q, R> CompletableFuture<R> call(MethodDescriptor<Q, R> method, Q request,
      Duration timeout) {
    String leader = raft.leaderName();
    if (leader == null) {
      return CompletableFuture.failedFuture(CoordError.noLeader(raft.name()
          + " knows no leader to send the request to"));
    }
    String address = directory.published().getOrDefault(leader,
        PublishMember.getDefaultInstance()).getClientAddress();
    if (address.isEmpty()) {
      return CompletableFuture.failedFuture(CoordError.noLeader("the leader " + leader
          + " has not published its client address yet"));
    }
    Metadata mark = new Metadata();
    mark.put(StatusCollector.FORWARDED, "1");
    CompletableFuture<R> result = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(
        ClientInterceptors.intercept(channels.get(address),
            MetadataUtils.newAttachHeadersInterceptor(mark))
            .newCall(method, CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(),
                TimeUnit.MILLISECONDS)),
        request, new StreamObserver<>() {
          @Override
          public void onNext(R value) {
            result.complete(value);
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            result.completeExceptionally(new IllegalStateException("no response"));
          }
        });
    return result;
  }
}
