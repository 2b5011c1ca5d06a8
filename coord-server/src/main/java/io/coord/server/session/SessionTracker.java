package io.coord.server.session;

import io.coord.proto.v1.SessionEndReason;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.ExpireSessions;
import io.coord.server.command.SessionRecord;
import io.coord.server.raft.LeadershipListener;
import io.coord.server.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Session deadlines, kept by the leader only, on its monotonic clock. When this member becomes
 * a ready leader it starts every live session's deadline at its full TTL (it cannot know its
 * predecessor's keep-alives); keep-alives move a deadline to TTL after they arrive; when a
 * deadline passes, the tracker proposes an {@code ExpireSessions} command carrying its term.
 * Once a session is being expired, keep-alives for it are refused, so no keep-alive is
 * acknowledged for a session that this leader has decided to end.
 *
 * <p>Grants and ends reach it after commit ({@link SessionEvents}); loading the state and
 * applying those events are serialized by this object's lock, so neither is lost.
 */
public final class SessionTracker implements LeadershipListener, SessionEvents, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SessionTracker.class);
  /** How often deadlines are checked. */
  static final long TICK_MS = 100;
  /** An expiry whose proposal failed is proposed again after this long. */
  static final long REPROPOSE_AFTER_MS = 2000;

  /** What a keep-alive did. */
  public enum Outcome {
    /** The deadline moved; acknowledge once this leader's term is confirmed current. */
    RENEWED,
    /** This member is not a ready leader (any more): the client must retry elsewhere. */
    NOT_LEADER,
    /** The session does not exist. */
    GONE,
    /**
     * The session's deadline passed and its expiry is being committed: tell the client only
     * once {@link KeepAlive#expiry()} says it ended (a stale or failed expiry leaves it alive).
     */
    EXPIRING
  }

  /**
   * The result of a keep-alive.
   *
   * @param term the leader term that renewed it (for RENEWED)
   * @param generation identifies this leadership period; an acknowledgement is valid only if
   *     it is unchanged when the acknowledgement is sent
   * @param expiry for EXPIRING: completes with true once the expiry is applied, false if its
   *     proposal failed or was stale (the session may live on); completed with false otherwise
   */
  public record KeepAlive(Outcome outcome, long term, long generation, long ttlMs,
      CompletableFuture<Boolean> expiry) {
    KeepAlive(Outcome outcome, long term, long generation, long ttlMs) {
      this(outcome, term, generation, ttlMs, CompletableFuture.completedFuture(false));
    }
  }

  private static final class Tracked {
    final long ttlNanos;
    long deadlineNanos;
    boolean expiring;
    long proposedAtNanos;
    CompletableFuture<Boolean> expiry = CompletableFuture.completedFuture(false);

    Tracked(long ttlNanos, long deadlineNanos) {
      this.ttlNanos = ttlNanos;
      this.deadlineNanos = deadlineNanos;
    }
  }

  private final Clock clock;
  private final Supplier<List<SessionRecord>> liveSessions;
  private final Function<Command, CompletableFuture<CommandResult>> propose;
  private final List<Runnable> deactivationListeners = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "coord-session-tracker");
    t.setDaemon(true);
    return t;
  });
  private final Map<Long, Tracked> sessions = new HashMap<>();
  private boolean active;
  private long term;
  private long generation;
  private ScheduledFuture<?> ticking;

  /**
   * @param liveSessions reads every live session from the committed state
   * @param propose proposes a command through Raft
   */
  public SessionTracker(Clock clock, Supplier<List<SessionRecord>> liveSessions,
      Function<Command, CompletableFuture<CommandResult>> propose) {
    this.clock = clock;
    this.liveSessions = liveSessions;
    this.propose = propose;
  }

  /** {@code listener} runs whenever this member stops tracking (leadership lost, stopping). */
  public void onDeactivated(Runnable listener) {
    deactivationListeners.add(listener);
  }

  @Override
  public synchronized void onLeaderReady(long leaderTerm) {
    List<SessionRecord> live;
    try {
      live = liveSessions.get();
    } catch (RuntimeException e) {
      LOG.warn("cannot load sessions as new leader ({}); not tracking expiry", e.toString());
      return;
    }
    active = true;
    term = leaderTerm;
    generation++;
    sessions.clear();
    long now = clock.monotonicNanos();
    for (SessionRecord record : live) {
      long ttl = TimeUnit.MILLISECONDS.toNanos(record.getTtlMs());
      sessions.put(record.getId(), new Tracked(ttl, now + ttl));
    }
    if (ticking == null) {
      try {
        ticking = timer.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS,
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopped) {
        active = false;
        return;
      }
    }
    LOG.info("tracking {} sessions as leader of term {}; every deadline restarts at its full TTL",
        live.size(), leaderTerm);
  }

  @Override
  public void onLeadershipLost() {
    deactivate();
  }

  private void deactivate() {
    synchronized (this) {
      if (!active) {
        return;
      }
      active = false;
      generation++;
      sessions.clear();
      if (ticking != null) {
        ticking.cancel(false);
        ticking = null;
      }
    }
    deactivationListeners.forEach(Runnable::run);
  }

  @Override
  public synchronized void granted(long sessionId, long ttlMs) {
    if (active && !sessions.containsKey(sessionId)) {
      long ttl = TimeUnit.MILLISECONDS.toNanos(ttlMs);
      sessions.put(sessionId, new Tracked(ttl, clock.monotonicNanos() + ttl));
    }
  }

  @Override
  public synchronized void ended(long sessionId) {
    if (active) {
      sessions.remove(sessionId);
    }
  }

  /** Renews {@code sessionId}'s deadline to its TTL from now, if this member tracks it. */
  public synchronized KeepAlive keepAlive(long sessionId) {
    if (!active) {
      return new KeepAlive(Outcome.NOT_LEADER, 0, 0, 0);
    }
    Tracked tracked = sessions.get(sessionId);
    if (tracked == null) {
      return new KeepAlive(Outcome.GONE, term, generation, 0);
    }
    if (tracked.expiring) {
      return new KeepAlive(Outcome.EXPIRING, term, generation, 0, tracked.expiry);
    }
    tracked.deadlineNanos = Math.max(tracked.deadlineNanos,
        clock.monotonicNanos() + tracked.ttlNanos);
    return new KeepAlive(Outcome.RENEWED, term, generation,
        TimeUnit.NANOSECONDS.toMillis(tracked.ttlNanos));
  }

  /**
   * True if the renewal {@code renewal} of {@code sessionId} still holds: same leadership
   * period, session tracked and not being expired.
   */
  public synchronized boolean stillRenewed(long sessionId, KeepAlive renewal) {
    Tracked tracked = sessions.get(sessionId);
    return active && generation == renewal.generation() && tracked != null
        && !tracked.expiring;
  }

  /** Milliseconds until {@code sessionId} expires, 0 if it is expiring, -1 if not tracked. */
  public synchronized long remainingMs(long sessionId) {
    Tracked tracked = active ? sessions.get(sessionId) : null;
    if (tracked == null) {
      return -1;
    }
    if (tracked.expiring) {
      return 0;
    }
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(
        tracked.deadlineNanos - clock.monotonicNanos()));
  }

  /** True while this member is a ready leader tracking deadlines. */
  public synchronized boolean isActive() {
    return active;
  }

  /** Proposes the expiry of every session whose deadline passed. Runs every {@link #TICK_MS}. */
  void tick() {
    List<Long> due = new ArrayList<>();
    CompletableFuture<Boolean> decided = new CompletableFuture<>();
    long proposingTerm;
    synchronized (this) {
      if (!active) {
        return;
      }
      long now = clock.monotonicNanos();
      for (Map.Entry<Long, Tracked> entry : sessions.entrySet()) {
        Tracked tracked = entry.getValue();
        boolean retry = tracked.expiring && now - tracked.proposedAtNanos
            >= TimeUnit.MILLISECONDS.toNanos(REPROPOSE_AFTER_MS);
        if ((!tracked.expiring && now - tracked.deadlineNanos >= 0) || retry) {
          tracked.expiring = true;
          tracked.proposedAtNanos = now;
          tracked.expiry = decided;
          due.add(entry.getKey());
        }
      }
      proposingTerm = term;
    }
    if (due.isEmpty()) {
      return;
    }
    due.sort(null);
    LOG.info("expiring sessions {}: no keep-alive within their TTL (term {})", due,
        proposingTerm);
    Command command = Command.newBuilder().setExpireSessions(ExpireSessions.newBuilder()
        .addAllIds(due)
        .setReason(SessionEndReason.TTL_EXPIRED)
        .setTerm(proposingTerm)).build();
    CompletableFuture<CommandResult> result;
    try {
      result = propose.apply(command);
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    result.whenComplete((r, error) -> {
      if (error != null) {
        LOG.warn("proposing the expiry of sessions {} failed, will retry: {}", due,
            error.toString());
      } else if (r.getExpireSessions().getStale()) {
        LOG.info("expiry of sessions {} proposed in term {} was stale (leadership moved)", due,
            proposingTerm);
      }
      decided.complete(error == null && !r.getExpireSessions().getStale());
    });
  }

  @Override
  public void close() {
    deactivate();
    timer.shutdownNow();
  }
}
