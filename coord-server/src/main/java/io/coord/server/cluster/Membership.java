package io.coord.server.cluster;

import io.coord.proto.v1.ErrorReason;
import io.coord.server.config.HostPort;
import io.coord.server.error.CoordError;
import io.coord.server.raft.RaftMember;
import io.coord.server.raft.RaftNode;
import io.coord.server.raft.RaftStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The rules of membership changes, applied on the leader (whose view of the other members'
 * progress decides): add a member as learner or voter, promote a caught-up learner, remove a
 * member without losing quorum, move leadership. Changes run one at a time on one thread.
 */
public final class Membership implements AutoCloseable {
  private final RaftNode raft;
  private final Duration contactTimeout;
  private final long promoteMaxLag;
  private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "coord-membership");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param contactTimeout a member the leader has not heard from for longer is not healthy
   * @param promoteMaxLag most entries a learner may be behind the commit index to be promoted
   */
  public Membership(RaftNode raft, Duration contactTimeout, long promoteMaxLag) {
    this.raft = raft;
    this.contactTimeout = contactTimeout;
    this.promoteMaxLag = promoteMaxLag;
  }

  /** Adds {@code name} at {@code peerAddress}; returns it once the change is committed. */
  public CompletableFuture<RaftMember> add(String name, String peerAddress, boolean learner) {
    return run(() -> {
      Conf conf = currentConf();
      RaftMember added = new RaftMember(name, peerAddress, learner);
      Optional<RaftMember> existing = conf.find(name);
      if (existing.isPresent()) {
        if (existing.get().equals(added)) {
          return added;
        }
        throw refused("a member named " + name + " already exists (" + describe(existing.get())
            + "); remove it first, or choose another name");
      }
      for (RaftMember member : conf.all()) {
        if (member.peerAddress().equals(peerAddress)) {
          throw refused("peer address " + peerAddress + " is already used by member "
              + member.name());
        }
      }
      if (!answers(peerAddress)) {
        throw refused(name + " does not answer at " + peerAddress + ": start it first with"
            + " coord.cluster.initial-state=existing and coord.cluster.initial-members="
            + initialMembersFor(conf, added) + ", then add it");
      }
      List<RaftMember> voters = new ArrayList<>(conf.voters());
      List<RaftMember> learners = new ArrayList<>(conf.learners());
      (learner ? learners : voters).add(added);
      raft.changeConfiguration(conf.voters(), conf.learners(), voters, learners);
      return added;
    });
  }

  /** Makes the learner {@code name} a voter once it has caught up. */
  public CompletableFuture<Void> promote(String name) {
    return run(() -> {
      Conf conf = currentConf();
      RaftMember learner = conf.find(name).orElseThrow(() -> notFound(name));
      if (!learner.learner()) {
        throw refused(name + " is already a voter");
      }
      checkCaughtUp(learner);
      List<RaftMember> voters = new ArrayList<>(conf.voters());
      voters.add(new RaftMember(name, learner.peerAddress(), false));
      List<RaftMember> learners = new ArrayList<>(conf.learners());
      learners.remove(learner);
      raft.changeConfiguration(conf.voters(), conf.learners(), voters, learners);
      return null;
    });
  }

  /** The first learner that could be promoted now, if any (for automatic promotion). */
  public Optional<String> promotableLearner() {
    if (!raft.isLeader() || !raft.configurationStable()) {
      return Optional.empty();
    }
    for (RaftMember member : raft.members()) {
      if (member.learner()) {
        try {
          checkCaughtUp(member);
          return Optional.of(member.name());
        } catch (CoordError behind) {
          // not yet
        }
      }
    }
    return Optional.empty();
  }

  /** Removes {@code name}, first moving leadership away if it is the leader. */
  public CompletableFuture<Void> remove(String name) {
    return run(() -> {
      Conf conf = currentConf();
      RaftMember member = conf.find(name).orElseThrow(() -> notFound(name));
      List<RaftMember> voters = new ArrayList<>(conf.voters());
      List<RaftMember> learners = new ArrayList<>(conf.learners());
      if (member.learner()) {
        learners.remove(member);
      } else {
        voters.remove(member);
        checkQuorumAfterRemoving(name, voters);
        if (name.equals(raft.name())) {
          String successor = successor(voters);
          raft.transferLeadership(successor, contactTimeout.multipliedBy(5));
        }
      }
      raft.changeConfiguration(conf.voters(), conf.learners(), voters, learners);
      worker.execute(() -> raft.tellRemoved(member));
      return null;
    });
  }

  /** Makes the voter {@code name} the leader. */
  public CompletableFuture<Void> transferLeadership(String name) {
    return run(() -> {
      Conf conf = currentConf();
      RaftMember member = conf.find(name).orElseThrow(() -> notFound(name));
      if (member.learner()) {
        throw refused(name + " is a learner: promote it before it can lead");
      }
      if (!name.equals(raft.name())) {
        raft.transferLeadership(name, contactTimeout.multipliedBy(5));
      }
      return null;
    });
  }

  private void checkCaughtUp(RaftMember learner) {
    RaftStatus status = raft.status();
    RaftStatus.FollowerProgress progress = status.followers().get(learner.name());
    if (progress == null || progress.lastContactMs() > contactTimeout.toMillis()) {
      throw refused("the leader has not heard from " + learner.name()
          + (progress == null ? "" : " for " + progress.lastContactMs() + " ms")
          + ": is it running? (it must be caught up to be promoted)");
    }
    long lag = status.commitIndex() - progress.matchIndex();
    if (progress.matchIndex() < 0 || lag > promoteMaxLag) {
      throw refused(learner.name() + " is " + lag + " entries behind the leader's commit index "
          + status.commitIndex() + " (at most " + promoteMaxLag
          + " allowed, coord.cluster.promote-max-lag): wait until it has caught up");
    }
  }

  /**
   * Refuses a removal after which the voters the leader hears from would not be a majority of
   * the remaining voters: the cluster could no longer commit anything.
   */
  private void checkQuorumAfterRemoving(String name, List<RaftMember> remaining) {
    if (remaining.isEmpty()) {
      throw refused("cannot remove " + name + ": it is the last voter");
    }
    Map<String, RaftStatus.FollowerProgress> progress = raft.status().followers();
    List<String> healthy = new ArrayList<>();
    List<String> unhealthy = new ArrayList<>();
    for (RaftMember voter : remaining) {
      RaftStatus.FollowerProgress p = progress.get(voter.name());
      boolean heard = voter.name().equals(raft.name())
          || p != null && p.lastContactMs() <= contactTimeout.toMillis();
      (heard ? healthy : unhealthy).add(voter.name());
    }
    int needed = remaining.size() / 2 + 1;
    if (healthy.size() < needed) {
      throw refused("removing " + name + " would lose quorum: the remaining voters "
          + String.join(", ", names(remaining)) + " need " + needed
          + " healthy members for a majority but only " + healthy.size() + " ("
          + (healthy.isEmpty() ? "none" : String.join(", ", healthy))
          + ") are; the leader has not heard from " + String.join(", ", unhealthy)
          + " recently. Bring them back, or add and promote a member first");
    }
  }

  /** The healthy remaining voter that is furthest along the log. */
  private String successor(List<RaftMember> remaining) {
    Map<String, RaftStatus.FollowerProgress> progress = raft.status().followers();
    return remaining.stream()
        .filter(v -> progress.containsKey(v.name())
            && progress.get(v.name()).lastContactMs() <= contactTimeout.toMillis())
        .max(Comparator.comparingLong(v -> progress.get(v.name()).matchIndex()))
        .map(RaftMember::name)
        .orElseThrow(() -> refused("no healthy voter can take over leadership"));
  }

  private Conf currentConf() {
    if (!raft.isLeader()) {
      throw CoordError.noLeader("membership changes run on the leader and " + raft.name()
          + " is not the leader now");
    }
    if (!raft.configurationStable()) {
      throw refused("another membership change is in progress; retry when it is done");
    }
    return new Conf(raft.members());
  }

  private static boolean answers(String peerAddress) {
    HostPort address = HostPort.parse(peerAddress);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address.host(), address.port()), 2000);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  private static String initialMembersFor(Conf conf, RaftMember added) {
    List<RaftMember> all = new ArrayList<>(conf.all());
    all.add(added);
    return all.stream().map(m -> m.name() + "=" + m.peerAddress())
        .collect(Collectors.joining(","));
  }

  private static String describe(RaftMember member) {
    return (member.learner() ? "learner" : "voter") + " at " + member.peerAddress();
  }

  private static List<String> names(List<RaftMember> members) {
    return members.stream().map(RaftMember::name).toList();
  }

  private static CoordError refused(String message) {
    return new CoordError(ErrorReason.MEMBERSHIP_REFUSED, message);
  }

  private static CoordError notFound(String name) {
    return new CoordError(ErrorReason.MEMBER_NOT_FOUND, "no member named " + name
        + " in the cluster ('coord member list' shows the members)", Map.of("member", name));
  }

  private <T> CompletableFuture<T> run(Supplier<T> change) {
    try {
      return CompletableFuture.supplyAsync(change, worker);
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      return CompletableFuture.failedFuture(CoordError.notReady("member stopping"));
    }
  }

  @Override
  public void close() {
    worker.shutdownNow();
  }

  /** The current configuration split by role. */
  private record Conf(List<RaftMember> all) {
    List<RaftMember> voters() {
      return all.stream().filter(m -> !m.learner()).toList();
    }

    List<RaftMember> learners() {
      return all.stream().filter(RaftMember::learner).toList();
    }

    Optional<RaftMember> find(String name) {
      return all.stream().filter(m -> m.name().equals(name)).findFirst();
    }
  }
}
