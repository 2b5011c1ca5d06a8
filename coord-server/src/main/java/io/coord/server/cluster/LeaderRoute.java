package io.coord.server.cluster;

import io.coord.server.error.CoordError;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.coord.server.command.PublishMember;
import io.coord.server.raft.RaftNode;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.Optional;

/**
 * How a member talks to the leader (or another member) on behalf of a client: the leader's
 * published client address, and channels whose calls carry the forwarded-once mark, so a
 * member receiving a forwarded call answers it itself instead of forwarding it again.
 */
public final class LeaderRoute {
  /** Metadata marking a request already forwarded once, so it is never forwarded again. */
  public static final Metadata.Key<String> FORWARDED =
      Metadata.Key.of("coord-forwarded", Metadata.ASCII_STRING_MARSHALLER);

  private final RaftNode raft;
  private final MemberDirectory directory;
  private final PeerChannels channels;

  public LeaderRoute(RaftNode raft, MemberDirectory directory, PeerChannels channels) {
    this.raft = raft;
    this.directory = directory;
    this.channels = channels;
  }

  /** The leader this member knows, if it is another member: its name and client address. */
  public Optional<Target> remoteLeader() {
    String leader = raft.leaderName();
    if (leader == null || leader.equals(raft.name())) {
      return Optional.empty();
    }
    return address(leader).map(address -> new Target(leader, address));
  }

  /** The published client address of member {@code name}, if any. */
  public Optional<String> address(String name) {
    String address = directory.published().getOrDefault(name,
        PublishMember.getDefaultInstance()).getClientAddress();
    return address.isEmpty() ? Optional.empty() : Optional.of(address);
  }

  /** A channel to {@code address} whose calls are marked as forwarded. */
  public Channel forwarded(String address) {
    Metadata mark = new Metadata();
    mark.put(FORWARDED, "1");
    return ClientInterceptors.intercept(channels.get(address),
        MetadataUtils.newAttachHeadersInterceptor(mark));
  }

  /**
   * Calls {@code method} on the leader's client API, marked as forwarded so the leader serves it
   * itself; fails with NO_LEADER if the leader cannot be addressed. For requests only the leader
   * can decide (membership changes).
   */
  public <Q, R> CompletableFuture<R> callLeader(MethodDescriptor<Q, R> method, Q request,
      Duration timeout) {
    String leader = raft.leaderName();
    if (leader == null) {
      return CompletableFuture.failedFuture(CoordError.noLeader(raft.name()
          + " knows no leader to send the request to"));
    }
    Optional<String> address = address(leader);
    if (address.isEmpty()) {
      return CompletableFuture.failedFuture(CoordError.noLeader("the leader " + leader
          + " has not published its client address yet"));
    }
    return call(forwarded(address.get()), method, request, timeout);
  }

  /** Sends one unary call on {@code channel}; the future carries its response or failure. */
  public static <Q, R> CompletableFuture<R> call(Channel channel, MethodDescriptor<Q, R> method,
      Q request, Duration timeout) {
    CompletableFuture<R> result = new CompletableFuture<>();
    ClientCalls.asyncUnaryCall(channel.newCall(method,
            CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)),
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

  /** Lets the next call to {@code address} connect at once (see {@link PeerChannels}). */
  public void reconnectNow(String address) {
    channels.reconnectNow(address);
  }

  /** A plain channel to another member's client API. */
  public Channel direct(String address) {
    return channels.get(address);
  }

  /**
   * A member to talk to.
   *
   * @param name its name
   * @param address its client address
   */
  public record Target(String name, String address) {}
}
