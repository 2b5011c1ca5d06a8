package io.coord.server.raft;

import java.io.IOException;
import java.time.Duration;
import io.coord.server.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * On the leader, reconnects the Raft link to a follower when nothing has crossed it for a while.
 *
 * <p>Ratis 3.3.0's log appender writes to one gRPC stream per follower and waits while that
 * stream is not ready. When a partition drops packets the connection's send buffer fills and
 * the appender stops, until TCP retransmits; TCP backs its retransmissions off exponentially
 * (up to two minutes), timed-out appends do not reset the stream, and the peer channels have no
 * keep-alive. A follower back from a long partition could so stay useless to the leader's quorum
 * for tens of seconds. When the leader has neither sent anything to a follower nor heard from it
 * for {@code silence}, this closes the channel to it; Ratis then cancels the stuck stream (after
 * up to 3 s of graceful shutdown) and opens a new connection for the next attempt. While the
 * link stays silent (a partition, a dead or paused follower) it does so again every two
 * {@code silence}s. Followers that are owed a snapshot are left alone: the leader waits, silent,
 * while they install it.
 */
final class StalledLinkGuard implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StalledLinkGuard.class);

  private final Supplier<RaftServer.Division> division;
  private final Clock clock;
  private final long silenceMs;
  private final long intervalNanos;
  /** Followers whose link is silent now: when it was last closed. */
  private final Map<String, Long> lastReconnectNanos = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private final ExecutorService closer;
  private final Set<String> reconnecting = ConcurrentHashMap.newKeySet();
  private final AtomicLong reconnects = new AtomicLong();

  /**
   * @param silence how long a follower's link must have carried nothing either way
   * @param tick how often to look
   */
  StalledLinkGuard(String member, Supplier<RaftServer.Division> division, Clock clock,
      Duration silence, Duration tick) {
    this.division = division;
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

  private void tickQuietly() {
    try {
      tick();
    } catch (IOException | RuntimeException e) {
      LOG.debug("link check skipped: {}", e.toString());
    }
  }

  private void tick() throws IOException {
    RaftServer.Division leader = division.get();
    var info = leader.getInfo();
    if (!info.isLeader()) {
      lastReconnectNanos.clear();
      return;
    }
    RoleInfoProto role = info.getRoleInfoProto();
    if (!role.hasLeaderInfo()) {
      return;
    }
    List<ServerRpcProto> followers = role.getLeaderInfo().getFollowerInfoList();
    long[] nextIndices = info.getFollowerNextIndices();
    long logStart = leader.getRaftLog().getStartIndex();
    for (int i = 0; i < followers.size(); i++) {
      ServerRpcProto follower = followers.get(i);
      long silentMs = follower.getLastRpcElapsedTimeMs();
      boolean owedSnapshot = nextIndices != null && nextIndices.length == followers.size()
          && nextIndices[i] < logStart;
      String name = follower.getId().getId().toStringUtf8();
      if (silentMs < silenceMs || owedSnapshot) {
        lastReconnectNanos.remove(name);
        continue;
      }
      long now = clock.monotonicNanos();
      Long last = lastReconnectNanos.get(name);
      if (last == null || now - last >= intervalNanos) {
        reconnect(leader, name, silentMs, last == null);
        lastReconnectNanos.put(name, now);
      }
    }
  }

  private void reconnect(RaftServer.Division leader, String follower, long silentMs,
      boolean firstOfSilence) {
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
        leader.getRaftServer().getServerRpc().handleException(RaftPeerId.valueOf(follower),
            new IOException("no traffic to or from " + follower + " for " + silentMs + " ms"),
            true);
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
