package io.coord.server.raft;

import io.coord.server.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, reconnects the Raft link to a follower when nothing has crossed it for a while.
 *
 * <p>Ratis 3.3.0's log appender writes to one gRPC stream per follower and waits while that
 * stream is not ready. When a partition drops packets the connection's send buffer fills and
 * the appender stops, until TCP retransmits; TCP backs its retransmissions off exponentially
 * (up to two minutes), timed-out appends do not reset the stream, and the peer channels have no
 * keep-alive. A follower back from a partition could so stay useless to the leader's quorum for
 * seconds. When the leader has neither sent anything to a follower nor heard from it for
 * {@code silence}, this closes the channel to it; Ratis then cancels the stuck stream (after
 * up to 3 s of graceful shutdown) and opens a new connection for the next attempt. While the
 * link stays silent (a partition, a dead or paused follower) it does so again every two
 * {@code silence}s. Followers that are owed a snapshot are left alone: the leader waits, silent,
 * while they install it. A new leader judges its links only once it has led for {@code silence}:
 * Ratis reports a follower's silence from before the election (a fresh cluster's first leader
 * found both followers "silent" for 0.9 s and reconnected them at once).
 */
final class StalledLinkGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StalledLinkGuard.class);

  private final Supplier<RaftStatus> status;
  private final Consumer<String> reconnect;
  private final Clock clock;
  private final long silenceMs;
  private final long intervalNanos;
  private final ScheduledExecutorService timer;
  private final ExecutorService closer;
  /** Followers whose link is silent now: when it was last closed. */
  private final Map<String, Long> lastReconnectNanos = new ConcurrentHashMap<>();
  private final Set<String> reconnecting = ConcurrentHashMap.newKeySet();
  private final AtomicLong reconnects = new AtomicLong();
  /** Term this member was seen leading, and since when; read and written on the timer. */
  private long ledTerm = -1;
  private long leadingSinceNanos;

  /**
   * @param status this member's Raft status (followers' progress on the leader)
   * @param reconnect closes the channel to the named follower; may block for seconds
   * @param silence how long a follower's link must have carried nothing either way
   * @param tick how often to look
   */
  StalledLinkGuard(String member, Supplier<RaftStatus> status, Consumer<String> reconnect,
      Clock clock, Duration silence, Duration tick) {
    this.status = status;
    this.reconnect = reconnect;
    this.clock = clock;
    this.silenceMs = silence.toMillis();
    this.intervalNanos = silence.multipliedBy(2).toNanos();
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> daemon(r,
        "coord-link-guard-" + member));
    // Closing a channel can take seconds; one at a time per follower.
    this.closer = Executors.newCachedThreadPool(r -> daemon(r, "coord-link-reconnect-" + member));
    timer.scheduleWithFixedDelay(this::tickQuietly, tick.toMillis(), tick.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Links closed since the start. */
  long reconnects() {
    return reconnects.get();
  }

  /** True while the channel to {@code follower} is being closed. */
  boolean reconnecting(String follower) {
    return reconnecting.contains(follower);
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.debug("link check skipped: {}", e.toString());
    }
  }

  /** Looks at every follower once (the timer calls this; tests too). */
  void tick() {
    RaftStatus now = status.get();
    if (!"LEADER".equals(now.role())) {
      lastReconnectNanos.clear();
      ledTerm = -1;
      return;
    }
    if (now.term() != ledTerm) {
      ledTerm = now.term();
      leadingSinceNanos = clock.monotonicNanos();
    }
    if (clock.monotonicNanos() - leadingSinceNanos < silenceMs * 1_000_000) {
      return;
    }
    now.followers().forEach((name, progress) -> {
      boolean owedSnapshot = progress.nextIndex() >= 0
          && progress.nextIndex() < now.logStartIndex();
      if (progress.lastContactMs() < silenceMs || owedSnapshot) {
        lastReconnectNanos.remove(name);
        return;
      }
      long nanos = clock.monotonicNanos();
      Long last = lastReconnectNanos.get(name);
      if (last == null || nanos - last >= intervalNanos) {
        reconnect(name, progress.lastContactMs(), last == null);
        lastReconnectNanos.put(name, nanos);
      }
    });
  }

  private void reconnect(String follower, long silentMs, boolean firstOfSilence) {
    if (!reconnecting.add(follower)) {
      return;
    }
    reconnects.incrementAndGet();
    if (firstOfSilence) {
      LOG.warn("the leader has sent nothing to {} and heard nothing from it for {} ms:"
          + " reconnecting (again every {} ms while it stays silent)", follower, silentMs,
          intervalNanos / 1_000_000);
    } else {
      LOG.debug("{} still silent after {} ms: reconnecting", follower, silentMs);
    }
    closer.execute(() -> {
      try {
        reconnect.accept(follower);
      } catch (RuntimeException e) {
        LOG.debug("reconnecting to {} failed: {}", follower, e.toString());
      } finally {
        reconnecting.remove(follower);
      }
    });
  }

  @Override
  public void close() {
    timer.shutdownNow();
    closer.shutdownNow();
  }
}
