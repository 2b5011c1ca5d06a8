package io.coord.server.api;

import io.coord.server.cluster.FollowerLinks;
import io.coord.server.cluster.LeaderLink;
import io.coord.server.peer.CurrentTermRequest;
import io.coord.server.peer.CurrentTermResponse;
import io.coord.server.peer.LeaderContactRequest;
import io.coord.server.peer.LeaderContactResponse;
import io.coord.server.peer.LeaderLinkRequest;
import io.coord.server.peer.LeaderLinkResponse;
import io.coord.server.peer.PeerGrpc;
import io.coord.server.raft.LeaderContact;
import io.coord.server.raft.RaftNode;
import io.grpc.Status;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import io.grpc.stub.StreamObserver;

/** Internal calls between members (see peer.proto). */
final class PeerService extends PeerGrpc.PeerImplBase {
  /** How long a fresh call to the leader may take when a member that lost it asks. */
  private static final Duration LINK_CHECK_TIMEOUT = Duration.ofMillis(50);

  private final RaftNode raft;
  private final Calls calls;
  private final LeaderLink leaderLink;
  private final FollowerLinks followerLinks;

  PeerService(RaftNode raft, Calls calls, LeaderLink leaderLink, FollowerLinks followerLinks) {
    this.raft = raft;
    this.calls = calls;
    this.leaderLink = leaderLink;
    this.followerLinks = followerLinks;
  }

  @Override
  public void currentTerm(CurrentTermRequest request,
      StreamObserver<CurrentTermResponse> observer) {
    calls.unary(observer, () -> {
      String leader = raft.leaderName();
      return CompletableFuture.completedFuture(
          CurrentTermResponse.newBuilder()
              .setTerm(raft.currentTerm())
              .setLeader(leader == null ? "" : leader)
              .build());
    });
  }

  @Override
  public void leaderContact(LeaderContactRequest request,
      StreamObserver<LeaderContactResponse> observer) {
    calls.unary(observer, () -> {
      LeaderContact contact = raft.leaderContact();
      CompletableFuture<Boolean> linkLost = request.getAskerLinkLost() && contact.following()
          ? leaderLink.checkLost(contact.leader(), contact.term(), LINK_CHECK_TIMEOUT)
          : CompletableFuture.completedFuture(leaderLink.lost(contact.leader(), contact.term()));
      return linkLost.thenApply(lost -> LeaderContactResponse.newBuilder()
          .setTerm(contact.term())
          .setLeader(contact.leader() == null ? "" : contact.leader())
          .setFollowing(contact.following())
          .setSilenceMs(contact.silenceMs())
          .setLastEntryTerm(contact.lastEntryTerm())
          .setLastEntryIndex(contact.lastEntryIndex())
          .setUpMs(contact.upMs())
          .setLeaderLinkLost(lost)
          .build());
    });
  }

  @Override
  public void leaderLink(LeaderLinkRequest request,
      StreamObserver<LeaderLinkResponse> observer) {
    boolean leads;
    try {
      leads = raft.isLeader() && raft.currentTerm() == request.getTerm();
    } catch (RuntimeException notRunning) {
      leads = false;
    }
    if (!leads) {
      observer.onError(Status.FAILED_PRECONDITION.withDescription(raft.name()
          + " does not lead term " + request.getTerm()).asRuntimeException());
      return;
    }
    followerLinks.hold(observer, request.getTerm());
  }
}
