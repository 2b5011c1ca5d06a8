package io.coord.server.cluster;

import io.coord.server.peer.LeaderLinkResponse;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code Peer.LeaderLink} streams that followers hold open to this member while it leads
 * (see {@link LeaderLink}): answered once, then left open until the follower cancels or this
 * member stops. Stopping ends them with UNAVAILABLE, so that the followers campaign at once
 * instead of waiting for the leader's silence, and the API server does not wait for them.
 */
public final class FollowerLinks implements AutoCloseable {
  private static final Status STOPPING = Status.UNAVAILABLE.withDescription(
      "the leader is stopping");

  private final Set<ServerCallStreamObserver<LeaderLinkResponse>> open =
      ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** Answers {@code observer} that this member leads {@code term}, and keeps it open. */
  public void hold(StreamObserver<LeaderLinkResponse> observer, long term) {
    ServerCallStreamObserver<LeaderLinkResponse> stream =
        (ServerCallStreamObserver<LeaderLinkResponse>) observer;
    if (closed) {
      stream.onError(STOPPING.asRuntimeException());
      return;
    }
    stream.setOnCancelHandler(() -> open.remove(stream));
    stream.onNext(LeaderLinkResponse.newBuilder().setTerm(term).build());
    open.add(stream);
    if (closed) {
      end(stream);
    }
  }

  /** Streams held open now. */
  public int size() {
    return open.size();
  }

  private void end(ServerCallStreamObserver<LeaderLinkResponse> stream) {
    if (!open.remove(stream)) {
      return;
    }
    try {
      stream.onError(STOPPING.asRuntimeException());
    } catch (RuntimeException alreadyCancelled) {
      // The follower went away meanwhile.
    }
  }

  @Override
  public void close() {
    closed = true;
    open.forEach(this::end);
  }
}
