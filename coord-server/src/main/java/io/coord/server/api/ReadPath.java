package io.coord.server.api;

import io.coord.server.kv.KvMeta;
import io.coord.server.raft.ReadBarrier;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.statemachine.RevisionWaiter;
import io.coord.server.storage.ReadView;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;

/**
 * Serves reads from this member's state: after a shared ReadIndex round for linearizable reads,
 * at once for serializable ones, in both cases after the member reached a requested revision.
 */
public final class ReadPath {
  private final CoordStateMachine stateMachine;
  private final ReadBarrier barrier;
  private final RevisionWaiter revisions;
  private final boolean unsafeLocalReads;

  public ReadPath(CoordStateMachine stateMachine, ReadBarrier barrier,
      RevisionWaiter revisions) {
    this(stateMachine, barrier, revisions, false);
  }

  /**
   * @param unsafeLocalReads TEST ONLY, BREAKS LINEARIZABILITY: serve every read from local
   *     state without the ReadIndex round ({@code coord.unsafe.local-linearizable-reads}), so
   *     that the robustness suite can show that its checkers catch stale reads
   */
  public ReadPath(CoordStateMachine stateMachine, ReadBarrier barrier,
      RevisionWaiter revisions, boolean unsafeLocalReads) {
    this.stateMachine = stateMachine;
    this.barrier = barrier;
    this.revisions = revisions;
    this.unsafeLocalReads = unsafeLocalReads;
  }

  /**
   * Runs {@code reader} on a consistent view once the read may be served.
   *
   * @param serializable serve from local state without a ReadIndex round
   * @param minRevision wait until this member applied at least this revision (0: no wait)
   */
  public <T> CompletableFuture<T> read(boolean serializable, long minRevision,
      BiFunction<ReadView, KvMeta, T> reader) {
    CompletableFuture<Void> ready = serializable || unsafeLocalReads
        ? CompletableFuture.completedFuture(null) : barrier.await();
    if (minRevision > 0) {
      ready = ready.thenCompose(ignored -> revisions.await(minRevision));
    }
    return ready.thenApply(ignored -> stateMachine.read(reader));
  }

  /** Completes when a linearizable read could be served now (for health checks). */
  public CompletableFuture<Void> linearizablePoint() {
    return barrier.await();
  }
}
