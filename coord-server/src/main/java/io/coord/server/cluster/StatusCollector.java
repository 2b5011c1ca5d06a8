package io.coord.server.cluster;

import io.coord.proto.v1.ClusterGrpc;
import io.coord.proto.v1.Member;
import io.coord.proto.v1.MemberStatus;
import io.coord.proto.v1.RaftRole;
import io.coord.proto.v1.StatusRequest;
import io.coord.proto.v1.StatusResponse;
import io.coord.server.raft.RaftNode;
import io.coord.server.raft.RaftStatus;
import io.coord.server.statemachine.CoordStateMachine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Builds the status of every member. The leader's view is the authority on contact and lag, so
 * a member that is not the leader forwards cluster-wide requests to it (once); every member
 * then answers for itself and the leader adds what it sees of each follower.
 */
public final class StatusCollector {
  /** A member applying this many entries behind its commit index is unhealthy. */
  static final long MAX_APPLY_BACKLOG = 10_000;

  private final RaftNode raft;
  private final CoordStateMachine stateMachine;
  private final MemberDirectory directory;
  private final LeaderRoute route;
  private final Duration peerTimeout;
  private final String version;

  public StatusCollector(RaftNode raft, CoordStateMachine stateMachine, MemberDirectory directory,
      LeaderRoute route, Duration peerTimeout, String version) {
    this.raft = raft;
    this.stateMachine = stateMachine;
    this.directory = directory;
    this.route = route;
    this.peerTimeout = peerTimeout;
    this.version = version;
  }

  /** This member's own status. */
  public MemberStatus local() {
    RaftStatus status = raft.status();
    Member self = directory.members().stream()
        .filter(m -> m.getName().equals(raft.name()))
        .findFirst()
        .orElse(Member.newBuilder().setId(directory.memberId(raft.name()))
            .setName(raft.name()).build());
    MemberStatus.Builder builder = MemberStatus.newBuilder()
        .setMember(self)
        .setRole(role(status.role()))
        .setRaftTerm(status.term())
        .setLeaderId(status.leaderName() == null ? 0 : directory.memberId(status.leaderName()))
        .setCommitIndex(status.commitIndex())
        .setAppliedIndex(status.appliedIndex())
        .setRevision(stateMachine.revision())
        .setCompactRevision(stateMachine.compactRevision())
        .setDbSizeBytes(stateMachine.storeSizeBytes())
        .setRaftLogSizeBytes(raft.raftStorageBytes())
        .setLastContactMs(status.role().equals("LEADER") ? 0 : -1)
        .setLagEntries(status.role().equals("LEADER") ? 0 : -1)
        .setVersion(version);
    return judge(builder).build();
  }

  /**
   * The status of every member, from the leader's point of view when the leader can be reached.
   *
   * @param forwarded true if another member already forwarded this request here
   */
  public CompletableFuture<StatusResponse.Builder> cluster(boolean forwarded) {
    if (!forwarded && !raft.isLeader()) {
      var leader = route.remoteLeader();
      if (leader.isPresent()) {
        return ask(leader.get().address(), false)
            .thenApply(StatusResponse::toBuilder)
            .exceptionallyCompose(e -> collect());
      }
    }
    return collect();
  }

  private CompletableFuture<StatusResponse.Builder> collect() {
    List<Member> members = directory.members();
    List<CompletableFuture<MemberStatus>> statuses = new ArrayList<>();
    for (Member member : members) {
      if (member.getName().equals(raft.name())) {
        statuses.add(CompletableFuture.completedFuture(local()));
      } else if (member.getClientAddress().isEmpty()) {
        statuses.add(CompletableFuture.completedFuture(unreachable(member,
            "client address not published yet (member never started?)")));
      } else {
        statuses.add(ask(member.getClientAddress(), true)
            .thenApply(r -> r.getMembersCount() == 1 ? r.getMembers(0)
                : unreachable(member, "answered with " + r.getMembersCount() + " statuses"))
            .exceptionally(e -> unreachable(member, "unreachable: " + rootMessage(e))));
      }
    }
    RaftStatus leaderView = raft.status();
    return CompletableFuture.allOf(statuses.toArray(CompletableFuture[]::new)).thenApply(v -> {
      StatusResponse.Builder response = StatusResponse.newBuilder();
      for (CompletableFuture<MemberStatus> status : statuses) {
        response.addMembers(withLeaderView(status.join(), leaderView));
      }
      return response;
    });
  }

  private MemberStatus withLeaderView(MemberStatus status, RaftStatus leaderView) {
    RaftStatus.FollowerProgress progress =
        leaderView.followers().get(status.getMember().getName());
    if (progress == null) {
      return status;
    }
    MemberStatus.Builder builder = status.toBuilder()
        .setLastContactMs(progress.lastContactMs())
        .setLagEntries(progress.commitIndex() < 0 ? -1
            : Math.max(0, leaderView.commitIndex() - progress.commitIndex()));
    if (builder.getHealthy() && progress.lastContactMs() > peerTimeout.toMillis()) {
      builder.setHealthy(false).setReason("the leader has not heard from it for "
          + progress.lastContactMs() + " ms");
    }
    return builder.build();
  }

  private MemberStatus.Builder judge(MemberStatus.Builder status) {
    if (status.getLeaderId() == 0) {
      return status.setHealthy(false).setReason("no leader known");
    }
    long backlog = status.getCommitIndex() - status.getAppliedIndex();
    if (backlog > MAX_APPLY_BACKLOG) {
      return status.setHealthy(false).setReason("applying " + backlog + " entries behind");
    }
    return status.setHealthy(true).setReason("");
  }

  private CompletableFuture<StatusResponse> ask(String address, boolean localOnly) {
    return LeaderRoute.call(route.forwarded(address), ClusterGrpc.getStatusMethod(),
        StatusRequest.newBuilder().setLocalOnly(localOnly).build(), peerTimeout);
  }

  private static MemberStatus unreachable(Member member, String reason) {
    return MemberStatus.newBuilder()
        .setMember(member)
        .setRole(RaftRole.ROLE_UNKNOWN)
        .setLastContactMs(-1)
        .setLagEntries(-1)
        .setHealthy(false)
        .setReason(reason)
        .build();
  }

  private static RaftRole role(String ratisRole) {
    return switch (ratisRole) {
      case "LEADER" -> RaftRole.LEADER;
      case "FOLLOWER" -> RaftRole.FOLLOWER;
      case "CANDIDATE" -> RaftRole.CANDIDATE;
      case "LISTENER" -> RaftRole.LEARNER;
      default -> RaftRole.ROLE_UNKNOWN;
    };
  }

  private static String rootMessage(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
  }
}
