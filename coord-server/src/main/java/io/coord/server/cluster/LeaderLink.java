package io.coord.server.cluster;

import io.coord.server.peer.LeaderLinkRequest;
import io.coord.server.peer.LeaderLinkResponse;
import io.coord.server.peer.PeerGrpc;
import io.coord.server.time.Clock;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's open {@code Peer.LeaderLink} stream to the process of the leader it follows. A
 * killed process's connections close at once, so the stream breaks within milliseconds of the
 * kill, where the leader's silence takes {@link ElectionWatchdog}'s whole threshold to count.
 *
 * <p>The link counts as lost when the leader had answered on it in that term, the stream broke
 * (UNAVAILABLE or CANCELLED), and a fresh call made at once failed too: a dead process's port
 * refuses the new connection, while a leader whose connection was merely reset (a middlebox
 * dropping idle connections) answers again and is never lost. A leader whose client port does
 * not listen yet, or a member that predates the call, never makes it lost either. While lost,
 * {@link #follow} tries again every {@link #LOST_RETRY_MS} (an answer clears it); other
 * failures are retried after {@link #RETRY_MS}. Lost is a hint for the watchdog's consultation,
 * never a verdict on its own: a majority of voters must agree that the leader is gone.
 */
public final class LeaderLink implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LeaderLink.class);
  static final long RETRY_MS = 1_000;
  /** How often a lost link is tried again: a live leader is found again within this. */
  static final long LOST_RETRY_MS = 100;

  private final PeerChannels channels;
  private final Function<String, Optional<String>> addresses;
  private final Clock clock;
  private volatile Runnable onLost = () -> {};
  private volatile Runnable onFound = () -> {};
  private String leader;
  private long term;
  /** The leader answered on a stream of this (leader, term). */
  private boolean answered;
  /** The stream broke; the fresh call that confirms the loss is under way. */
  private boolean confirming;
  private boolean lost;
  private ClientCall<LeaderLinkRequest, LeaderLinkResponse> call;
  private long generation;
  private long nextAttemptNanos;

  /**
   * @param addresses the client address of a member, by name, if it published one
   */
  public LeaderLink(PeerChannels channels, Function<String, Optional<String>> addresses,
      Clock clock) {
    this.channels = channels;
    this.addresses = addresses;
    this.clock = clock;
  }

  /** Runs {@code listener} (on a gRPC thread; it must return at once) when the link breaks. */
  public void onLost(Runnable listener) {
    this.onLost = listener;
  }

  /**
   * Runs {@code listener} (on a gRPC thread; it must return at once) when a lost link is found
   * again: the leader answered after all.
   */
  public void onFound(Runnable listener) {
    this.onFound = listener;
  }

  /**
   * Keeps a stream open to {@code leader} of {@code term}, or none if {@code leader} is null
   * (this member follows no one): opens one when the leader changed, retries a broken one.
   */
  public synchronized void follow(String leader, long term) {
    if (leader == null) {
      switchTo(null, 0);
      return;
    }
    if (!leader.equals(this.leader) || term != this.term) {
      switchTo(leader, term);
    }
    if (call == null && clock.monotonicNanos() - nextAttemptNanos >= 0) {
      open();
    }
  }

  /** True if the stream to {@code leader} of {@code term} was open and broke. */
  public synchronized boolean lost(String leader, long term) {
    return lost && term == this.term && leader != null && leader.equals(this.leader);
  }

  /** The leader whose stream is open now (it answered, and the stream has not broken). */
  public synchronized Optional<String> openTo() {
    return answered && !lost && !confirming && call != null ? Optional.of(leader)
        : Optional.empty();
  }

  /**
   * Whether the link to {@code leader} of {@code term} is lost, checked now. While this member's
   * stream still looks open, a fresh call tells a dead process (refused, or its connection
   * closing) from a live leader (it answers) before the stream itself shows the break; a refusal
   * marks the link lost (and reopens the stream: a live leader clears it again). Counts only if
   * the leader had answered in that term; a call that merely times out proves nothing.
   */
  public CompletableFuture<Boolean> checkLost(String leader, long term, Duration timeout) {
    Optional<String> address;
    synchronized (this) {
      if (lost(leader, term)) {
        return CompletableFuture.completedFuture(true);
      }
      if (!answered || leader == null || !leader.equals(this.leader) || term != this.term) {
        return CompletableFuture.completedFuture(false);
      }
      address = addresses.apply(leader);
    }
    if (address.isEmpty()) {
      return CompletableFuture.completedFuture(false);
    }
    CompletableFuture<Boolean> result = new CompletableFuture<>();
    ClientCall<LeaderLinkRequest, LeaderLinkResponse> probe = channels.get(address.get())
        .newCall(PeerGrpc.getLeaderLinkMethod(), CallOptions.DEFAULT
            .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS));
    ClientCalls.asyncServerStreamingCall(probe,
        LeaderLinkRequest.newBuilder().setTerm(term).build(), new StreamObserver<>() {
          @Override
          public void onNext(LeaderLinkResponse response) {
            result.complete(false);
            probe.cancel("answered", null);
          }

          @Override
          public void onError(Throwable error) {
            Status status = Status.fromThrowable(error);
            boolean gone = endedByTheLeader(status)
                || status.getCode() == Status.Code.FAILED_PRECONDITION;
            if (gone && !result.isDone()) {
              markLost(leader, term, status);
            }
            result.complete(gone);
          }

          @Override
          public void onCompleted() {
            result.complete(false);
          }
        });
    return result;
  }

  private void markLost(String leader, long term, Status status) {
    synchronized (this) {
      if (lost || !leader.equals(this.leader) || term != this.term) {
        return;
      }
      lost = true;
      confirming = false;
      if (call != null) {
        generation++;
        call.cancel("the leader did not answer a fresh call", null);
        call = null;
      }
      nextAttemptNanos = clock.monotonicNanos() + TimeUnit.MILLISECONDS.toNanos(LOST_RETRY_MS);
    }
    LOG.info("link to the leader {} of term {} lost (checked when asked): {}", leader, term,
        status);
    onLost.run();
  }

  private void switchTo(String leader, long term) {
    if (call != null) {
      call.cancel("this member follows another leader", null);
      call = null;
    }
    generation++;
    this.leader = leader;
    this.term = term;
    answered = false;
    confirming = false;
    lost = false;
    nextAttemptNanos = clock.monotonicNanos();
  }

  private void open() {
    Optional<String> address = addresses.apply(leader);
    if (address.isEmpty()) {
      // Not published yet: looked up again on the next call, which costs nothing remote.
      return;
    }
    if (lost || confirming) {
      // A channel whose connection failed waits out a reconnect backoff of a second or more,
      // failing calls meanwhile: a leader that is alive after all must be found sooner.
      channels.reconnectNow(address.get());
    }
    long callGeneration = ++generation;
    call = channels.get(address.get()).newCall(PeerGrpc.getLeaderLinkMethod(),
        CallOptions.DEFAULT);
    ClientCalls.asyncServerStreamingCall(call,
        LeaderLinkRequest.newBuilder().setTerm(term).build(), new StreamObserver<>() {
          @Override
          public void onNext(LeaderLinkResponse response) {
            answered(callGeneration);
          }

          @Override
          public void onError(Throwable error) {
            broke(callGeneration, Status.fromThrowable(error));
          }

          @Override
          public void onCompleted() {
            broke(callGeneration, Status.OK);
          }
        });
  }

  private void answered(long callGeneration) {
    boolean found;
    synchronized (this) {
      if (callGeneration != generation) {
        return;
      }
      if (!answered || lost) {
        LOG.info("link to the leader {} of term {} open", leader, term);
      }
      found = lost;
      answered = true;
      confirming = false;
      lost = false;
    }
    if (found) {
      onFound.run();
    }
  }

  private void broke(long callGeneration, Status status) {
    boolean newlyLost;
    String lostLeader;
    long lostTerm;
    synchronized (this) {
      if (callGeneration != generation) {
        return;
      }
      call = null;
      boolean wasLost = lost;
      if (confirming || lost) {
        confirming = false;
        lost = true;
        nextAttemptNanos = clock.monotonicNanos() + TimeUnit.MILLISECONDS.toNanos(LOST_RETRY_MS);
      } else if (answered && endedByTheLeader(status)) {
        confirming = true;
        open();
      } else {
        // Not open yet, no longer the leader, or a member without the call.
        retryLater();
      }
      newlyLost = lost && !wasLost;
      lostLeader = leader;
      lostTerm = term;
    }
    if (newlyLost) {
      LOG.info("link to the leader {} of term {} lost: {}", lostLeader, lostTerm, status);
      onLost.run();
    }
  }

  /**
   * A broken connection (UNAVAILABLE: a killed process's connections close) or a server that
   * cancelled its calls on its way down (CANCELLED: we cancel only streams of generations past).
   */
  private static boolean endedByTheLeader(Status status) {
    return status.getCode() == Status.Code.UNAVAILABLE
        || status.getCode() == Status.Code.CANCELLED;
  }

  private void retryLater() {
    nextAttemptNanos = clock.monotonicNanos() + TimeUnit.MILLISECONDS.toNanos(RETRY_MS);
  }

  @Override
  public synchronized void close() {
    switchTo(null, 0);
  }
}
