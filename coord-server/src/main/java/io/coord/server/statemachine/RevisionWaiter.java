package io.coord.server.statemachine;

import io.coord.server.kv.KvEvent;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/** Lets readers wait until this member has applied at least a given revision. */
public final class RevisionWaiter implements ApplyListener {
  private final CoordStateMachine stateMachine;
  private final Executor completions;
  private final PriorityQueue<Waiter> waiters =
      new PriorityQueue<>((a, b) -> Long.compare(a.revision, b.revision));

  private record Waiter(long revision, CompletableFuture<Void> future) {}

  public RevisionWaiter(CoordStateMachine stateMachine, Executor completions) {
    this.stateMachine = stateMachine;
    this.completions = completions;
  }

  /** Completes once the applied revision is at least {@code revision}. */
  public CompletableFuture<Void> await(long revision) {
    if (stateMachine.revision() >= revision) {
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<Void> future = new CompletableFuture<>();
    synchronized (waiters) {
      waiters.add(new Waiter(revision, future));
    }
    release(stateMachine.revision());
    return future;
  }

  @Override
  public void onApplied(long index, long revision, List<KvEvent> events) {
    release(revision);
  }

  @Override
  public void onStateReplaced(long index, long revision) {
    release(revision);
  }

  private void release(long revision) {
    synchronized (waiters) {
      while (!waiters.isEmpty() && waiters.peek().revision <= revision) {
        CompletableFuture<Void> ready = waiters.poll().future;
        completions.execute(() -> ready.complete(null));
      }
      waiters.removeIf(w -> w.future.isDone());
    }
  }
}
