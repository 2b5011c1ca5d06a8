package io.coord.server.cluster;

import io.coord.server.peer.CurrentTermRequest;
import io.coord.server.peer.CurrentTermResponse;
import io.coord.server.peer.PeerGrpc;
import io.coord.server.raft.RaftMember;
import io.coord.server.raft.RaftNode;
import io.grpc.Context;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Confirms that a term is still the newest one that elected a leader, at a moment after the
 * caller asked: every voting member is asked its current term, and the answer is yes once a
 * majority (this member included) answered with that term. Any later leader needs votes from a
 * majority, each of which moved to its later term before voting, so no later leader was
 * elected before the question was asked.
 *
 * <p>Ratis's ReadIndex is no substitute: it may answer from an acknowledgement gathered before
 * the question (when the commit index has not moved), which proves nothing about "after".
 *
 * <p>Callers that arrive while a round for their term is in flight share the next round.
 */
public final class TermCheck {
  private final RaftNode raft;
  private final LeaderRoute route;
  private final Duration timeout;
  private final Map<Long, CompletableFuture<Boolean>> waiting = new HashMap<>();
  private final Set<Long> inFlight = new HashSet<>();

  /** @param timeout how long a round waits for members' answers */
  public TermCheck(RaftNode raft, LeaderRoute route, Duration timeout) {
    this.raft = raft;
    this.route = route;
    this.timeout = timeout;
  }

  /**
   * Completes with true if a majority of voters held {@code term} at some moment after this
   * call; with false if that could not be shown (a later term seen, members unreachable).
   */
  public CompletableFuture<Boolean> confirm(long term) {
    synchronized (this) {
      CompletableFuture<Boolean> next = waiting.computeIfAbsent(term,
          t -> new CompletableFuture<>());
      if (!inFlight.contains(term)) {
        startRound(term);
      }
      return next;
    }
  }

  /** Holds the monitor. */
  private void startRound(long term) {
    CompletableFuture<Boolean> result = waiting.remove(term);
    inFlight.add(term);
    CompletableFuture<Boolean> round;
    try {
      // Outgoing calls inherit the cancellation of the gRPC call they start in; a round serves
      // every waiter, so it must not end with the keep-alive stream that happened to start it.
      round = Context.ROOT.call(() -> round(term));
    } catch (Exception e) {
      round = CompletableFuture.completedFuture(false);
    }
    round.whenComplete((confirmed, error) -> {
      result.complete(error == null && confirmed);
      synchronized (this) {
        inFlight.remove(term);
        if (waiting.containsKey(term)) {
          startRound(term);
        }
      }
    });
  }

  private CompletableFuture<Boolean> round(long term) {
    List<RaftMember> voters = raft.members().stream().filter(m -> !m.learner()).toList();
    Tally tally = new Tally(voters.size() / 2 + 1, voters.size());
    for (RaftMember voter : voters) {
      if (voter.name().equals(raft.name())) {
        tally.answer(raft.currentTerm() == term);
        continue;
      }
      Optional<String> address = route.address(voter.name());
      if (address.isEmpty()) {
        tally.answer(false);
        continue;
      }
      PeerGrpc.newStub(route.direct(address.get()))
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .currentTerm(CurrentTermRequest.getDefaultInstance(), new StreamObserver<>() {
            @Override
            public void onNext(CurrentTermResponse response) {
              tally.answer(response.getTerm() == term);
            }

            @Override
            public void onError(Throwable t) {
              tally.answer(false);
            }

            @Override
            public void onCompleted() {}
          });
    }
    return tally.result;
  }

  /** Counts answers; decides as soon as the outcome is certain. */
  private static final class Tally {
    final CompletableFuture<Boolean> result = new CompletableFuture<>();
    final int needed;
    int pending;
    int yes;

    Tally(int needed, int voters) {
      this.needed = needed;
      this.pending = voters;
    }

    synchronized void answer(boolean same) {
      pending--;
      if (same) {
        yes++;
      }
      if (yes >= needed) {
        result.complete(true);
      } else if (yes + pending < needed) {
        result.complete(false);
      }
    }
  }
}
