package io.coord.server.raft;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * Linearizable read points, shared by concurrent readers. A reader may read its member's
 * local state once {@link #await()} completes: the member has then applied everything that
 * was committed when the reader asked. One round (Raft §6.4: Ratis's ReadIndex together with
 * a majority confirming the member's term, see {@link RaftNode#confirmReadTermsWith}) serves
 * every reader that arrived before it was sent; readers arriving meanwhile share the next one.
 */
public final class ReadBarrier {
  private final Supplier<CompletableFuture<Void>> readIndexRound;
  private final Executor completions;
  private CompletableFuture<Void> next;
  private boolean roundInFlight;

  ReadBarrier(Supplier<CompletableFuture<Void>> readIndexRound, Executor completions) {
    this.readIndexRound = readIndexRound;
    this.completions = completions;
  }

  /** Completes when a read of local state is linearizable for a read issued now. */
  public CompletableFuture<Void> await() {
    CompletableFuture<Void> mine;
    synchronized (this) {
      if (next == null) {
        next = new CompletableFuture<>();
      }
      mine = next;
      if (!roundInFlight) {
        startRound();
      }
    }
    return mine;
  }

  /** Sends a round for everyone waiting on {@link #next}. Holds the monitor. */
  private void startRound() {
    CompletableFuture<Void> waiting = next;
    next = null;
    roundInFlight = true;
    CompletableFuture<Void> round;
    try {
      round = readIndexRound.get();
    } catch (RuntimeException e) {
      round = CompletableFuture.failedFuture(e);
    }
    round.whenCompleteAsync((ok, error) -> {
      if (error != null) {
        waiting.completeExceptionally(error);
      } else {
        waiting.complete(null);
      }
      synchronized (this) {
        roundInFlight = false;
        if (next != null) {
          startRound();
        }
      }
    }, completions);
  }
}
