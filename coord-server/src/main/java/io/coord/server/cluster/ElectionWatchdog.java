package io.coord.server.cluster;

import io.coord.server.peer.LeaderContactRequest;
import io.coord.server.peer.LeaderContactResponse;
import io.coord.server.peer.PeerGrpc;
import io.coord.server.raft.LeaderContact;
import io.coord.server.raft.RaftMember;
import io.coord.server.raft.RaftNode;
import io.coord.server.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts an election as soon as a majority of voters stopped hearing from the leader, instead
 * of waiting for Ratis's follower timer: that timer sleeps a whole random election timeout
 * before it looks at the leader's silence, so a dead leader is noticed only after the rest of
 * the sleep in progress plus another whole timeout (about 2.3 x the minimum on average).
 *
 * <p>Every tick, a follower that has not heard from its leader for {@code silence}, or whose
 * {@link LeaderLink} to the leader's process broke, asks the other voters what they know of it
 * ({@link CampaignDecision}); when a majority agrees and no agreeing follower is a better
 * candidate, it starts the election at once. A broken link also runs a tick at once: a killed
 * leader is noticed within milliseconds, not after the silence. Ratis's own timer stays in
 * place behind it.
 */
public final class ElectionWatchdog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ElectionWatchdog.class);

  private final RaftNode raft;
  private final LeaderRoute route;
  private final LeaderLink link;
  private final Clock clock;
  private final long silenceMs;
  private final long tickMs;
  private final ScheduledExecutorService timer;
  private final AtomicLong campaigns = new AtomicLong();
  private final AtomicLong consultations = new AtomicLong();
  private final AtomicLong campaignsOnLostLink = new AtomicLong();
  private long lastTickNanos;
  private boolean asking;
  private long campaignedTerm = -1;
  private long deferredTerm = -1;
  private long deferredAtNanos;

  /**
   * @param silence how long a voter must not have heard from the leader to count it as lost;
   *     longer than the leaders' heartbeat interval
   */
  public ElectionWatchdog(RaftNode raft, LeaderRoute route, LeaderLink link, Clock clock,
      Duration silence) {
    this.raft = raft;
    this.route = route;
    this.link = link;
    this.clock = clock;
    this.silenceMs = silence.toMillis();
    this.tickMs = Math.max(5, silenceMs / 15);
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "coord-election-watchdog-" + raft.name());
      t.setDaemon(true);
      return t;
    });
  }

  public void start() {
    link.onLost(() -> {
      try {
        timer.execute(this::tickSafely);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // Stopping.
      }
    });
    timer.scheduleWithFixedDelay(this::tickSafely, tickMs, tickMs, TimeUnit.MILLISECONDS);
  }

  /** Elections this member started because a majority had lost the leader. */
  public long campaigns() {
    return campaigns.get();
  }

  /** Of {@link #campaigns()}, those started while this member's link to the leader was lost. */
  public long campaignsOnLostLink() {
    return campaignsOnLostLink.get();
  }

  /** Times this member asked the other voters because it had lost the leader. */
  public long consultations() {
    return consultations.get();
  }

  private void tickSafely() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.debug("election watchdog tick failed: {}", e.toString());
    }
  }

  private void tick() {
    long now = clock.monotonicNanos();
    boolean late = lastTickNanos != 0
        && now - lastTickNanos > TimeUnit.MILLISECONDS.toNanos(tickMs + silenceMs / 4);
    lastTickNanos = now;
    if (late || asking || !raft.isAlive()) {
      // A late tick means this process did not run for a while: the silence it measured is
      // partly its own, so it waits for a fresh look.
      return;
    }
    LeaderContact self = contact();
    if (!self.following() || (self.silenceMs() < silenceMs && !self.linkLost())
        || self.term() == campaignedTerm) {
      return;
    }
    List<RaftMember> voters = raft.members().stream().filter(m -> !m.learner()).toList();
    List<CompletableFuture<Optional<LeaderContact>>> answers = new ArrayList<>();
    LeaderContactRequest question = LeaderContactRequest.newBuilder()
        .setAskerLinkLost(self.linkLost()).build();
    for (RaftMember voter : voters) {
      if (!voter.name().equals(self.member()) && !voter.name().equals(self.leader())) {
        answers.add(ask(voter.name(), question));
      }
    }
    asking = true;
    consultations.incrementAndGet();
    LOG.debug("leader {} of term {} silent for {} ms{}: asking the other voters", self.leader(),
        self.term(), self.silenceMs(), self.linkLost() ? ", link lost" : "");
    CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
        .whenComplete((ignored, error) -> timer.execute(() -> {
          asking = false;
          conclude(voters.size(), answers.stream().map(CompletableFuture::join)
              .flatMap(Optional::stream).toList());
        }));
  }

  /** This member's view of its leader, with its link kept open to that leader. */
  private LeaderContact contact() {
    LeaderContact self = raft.leaderContact();
    link.follow(self.following() ? self.leader() : null, self.term());
    return self.withLinkLost(link.lost(self.leader(), self.term()));
  }

  private CompletableFuture<Optional<LeaderContact>> ask(String member,
      LeaderContactRequest question) {
    Optional<String> address = route.address(member);
    if (address.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    route.reconnectNow(address.get());
    return LeaderRoute.call(route.direct(address.get()), PeerGrpc.getLeaderContactMethod(),
            question, Duration.ofMillis(silenceMs / 2))
        .handle((response, error) -> error != null ? Optional.empty()
            : Optional.of(contact(member, response)));
  }

  private static LeaderContact contact(String member, LeaderContactResponse response) {
    return new LeaderContact(member, response.getTerm(),
        response.getLeader().isEmpty() ? null : response.getLeader(), response.getFollowing(),
        response.getSilenceMs(), response.getLastEntryTerm(), response.getLastEntryIndex(),
        response.getUpMs(), response.getLeaderLinkLost());
  }

  /** Runs on the timer thread, with the answers of the voters that answered. */
  private void conclude(int voters, List<LeaderContact> answers) {
    LeaderContact self = contact();
    boolean deferredLongEnough = deferredTerm == self.term()
        && clock.monotonicNanos() - deferredAtNanos
        >= TimeUnit.MILLISECONDS.toNanos(silenceMs);
    CampaignDecision.Outcome outcome = CampaignDecision.decide(self, answers, voters,
        silenceMs, deferredLongEnough);
    LOG.debug("leader {} of term {} silent for {} ms: {} (answers {})", self.leader(),
        self.term(), self.silenceMs(), outcome, answers);
    if (outcome.verdict() == CampaignDecision.Verdict.DEFER && deferredTerm != self.term()) {
      deferredTerm = self.term();
      deferredAtNanos = clock.monotonicNanos();
    }
    if (outcome.verdict() != CampaignDecision.Verdict.CAMPAIGN) {
      return;
    }
    campaignedTerm = self.term();
    if (raft.campaign(self.leader(), self.term())) {
      campaigns.incrementAndGet();
      if (self.linkLost()) {
        campaignsOnLostLink.incrementAndGet();
      }
      LOG.info("started an election: leader {} of term {} silent for {} ms here{}, and {} of {}"
          + " voters agree", self.leader(), self.term(), self.silenceMs(),
          self.linkLost() ? " and its link lost" : "", outcome.agreeing(), voters);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
