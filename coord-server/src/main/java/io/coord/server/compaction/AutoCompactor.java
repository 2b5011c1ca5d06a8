package io.coord.server.compaction;

import io.coord.proto.v1.CompactionRequest;
import io.coord.server.command.Command;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.raft.LeadershipListener;
import io.coord.server.raft.Proposer;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Automatic compaction, run by the leader only: keeps at least the configured number of
 * revisions and (if set) the configured period of history, and proposes a compaction through
 * the log when older history may go. Time-based retention samples (time, revision) while this
 * member leads; a new leader starts sampling afresh, so it compacts late rather than early.
 */
public final class AutoCompactor implements LeadershipListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AutoCompactor.class);

  private final CoordStateMachine stateMachine;
  private final Proposer proposer;
  private final Clock clock;
  private final long retainRevisions;
  private final Duration retainPeriod;
  private final Duration interval;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "coord-auto-compactor");
    t.setDaemon(true);
    return t;
  });
  private final ArrayDeque<long[]> samples = new ArrayDeque<>();
  private ScheduledFuture<?> task;

  public AutoCompactor(ServerConfig config, CoordStateMachine stateMachine, Proposer proposer,
      Clock clock) {
    this.stateMachine = stateMachine;
    this.proposer = proposer;
    this.clock = clock;
    this.retainRevisions = config.get(ConfigKeys.COMPACTION_RETAIN_REVISIONS);
    this.retainPeriod = config.get(ConfigKeys.COMPACTION_RETAIN_PERIOD);
    this.interval = config.get(ConfigKeys.COMPACTION_INTERVAL);
  }

  private boolean enabled() {
    return retainRevisions > 0 || !retainPeriod.isZero();
  }

  @Override
  public synchronized void onLeaderReady(long term) {
    if (!enabled() || task != null) {
      return;
    }
    task = timer.scheduleWithFixedDelay(this::tick, interval.toMillis(), interval.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void onLeadershipLost() {
    if (task != null) {
      task.cancel(false);
      task = null;
    }
    try {
      timer.execute(samples::clear);
    } catch (java.util.concurrent.RejectedExecutionException stopped) {
      // Closed: nothing to clear any more.
    }
  }

  /** Runs on the timer thread only. */
  private void tick() {
    try {
      long current = stateMachine.revision();
      long target = Long.MAX_VALUE;
      if (retainRevisions > 0) {
        target = current - retainRevisions;
      }
      if (!retainPeriod.isZero()) {
        target = Math.min(target, revisionOlderThanPeriod(current));
      }
      if (target > stateMachine.compactRevision()) {
        LOG.info("compacting history before revision {}", target);
        proposer.propose(Command.newBuilder()
            .setCompact(CompactionRequest.newBuilder().setRevision(target)).build());
      }
    } catch (RuntimeException e) {
      LOG.warn("automatic compaction check failed: {}", e.toString());
    }
  }

  private long revisionOlderThanPeriod(long current) {
    long now = clock.monotonicNanos();
    samples.addLast(new long[] {now, current});
    long horizon = now - retainPeriod.toNanos();
    long revision = 0;
    while (!samples.isEmpty() && samples.peekFirst()[0] <= horizon) {
      revision = samples.pollFirst()[1];
    }
    if (revision > 0) {
      // Keep the newest old-enough sample: it is the boundary for the next check too.
      samples.addFirst(new long[] {horizon, revision});
    }
    return revision;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
