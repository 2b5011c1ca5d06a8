package io.coord.server.compaction;

import io.coord.server.command.Command;
import io.coord.server.command.CompactionStep;
import io.coord.server.raft.LeadershipListener;
import io.coord.server.raft.Proposer;
import io.coord.server.statemachine.CoordStateMachine;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader-only: while compacted history is still being removed, proposes {@link CompactionStep}
 * entries one at a time, with a pause between them, so that a compaction finishes without
 * client writes to carry it and without taking the apply path for long.
 */
public final class CompactionDrainer implements LeadershipListener, AutoCloseable {
  /** Events removed per step entry. */
  static final int STEP_EVENTS = 1000;
  /** Pause between step entries, and how often to look for work. */
  static final long PAUSE_MS = 10;
  private static final long IDLE_CHECK_MS = 100;
  private static final Logger LOG = LoggerFactory.getLogger(CompactionDrainer.class);

  private final CoordStateMachine stateMachine;
  private final Proposer proposer;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "coord-compaction-drainer");
    t.setDaemon(true);
    return t;
  });
  private ScheduledFuture<?> next;
  private long term = -1;

  public CompactionDrainer(CoordStateMachine stateMachine, Proposer proposer) {
    this.stateMachine = stateMachine;
    this.proposer = proposer;
  }

  @Override
  public synchronized void onLeaderReady(long term) {
    this.term = term;
    schedule(term, IDLE_CHECK_MS);
  }

  @Override
  public synchronized void onLeadershipLost() {
    term = -1;
    if (next != null) {
      next.cancel(false);
      next = null;
    }
  }

  private synchronized void schedule(long forTerm, long delayMs) {
    if (term != forTerm) {
      return;
    }
    try {
      next = timer.schedule(() -> step(forTerm), delayMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      next = null;
    }
  }

  private void step(long forTerm) {
    if (!stateMachine.compactionBehind()) {
      schedule(forTerm, IDLE_CHECK_MS);
      return;
    }
    proposer.propose(Command.newBuilder()
            .setCompactionStep(CompactionStep.newBuilder().setMaxEvents(STEP_EVENTS)).build())
        .whenComplete((result, error) -> {
          if (error != null) {
            LOG.debug("compaction step not committed: {}", error.toString());
          }
          schedule(forTerm, error == null ? PAUSE_MS : IDLE_CHECK_MS);
        });
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
