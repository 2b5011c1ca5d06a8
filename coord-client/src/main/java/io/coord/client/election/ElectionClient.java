package io.coord.client.election;

import com.google.protobuf.ByteString;
import io.coord.client.CoordException;
import io.coord.client.CoordTimeoutException;
import io.coord.client.internal.Transport;
import io.coord.client.kv.KvClient;
import io.coord.client.session.Session;
import io.coord.client.session.SessionClient;
import io.coord.proto.v1.CampaignRequest;
import io.coord.proto.v1.CampaignResponse;
import io.coord.proto.v1.ElectionGrpc;
import io.coord.proto.v1.LeaderRequest;
import io.coord.proto.v1.ProclaimRequest;
import io.coord.proto.v1.ResignRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Leader elections kept by the cluster. Get it from
 * {@link io.coord.client.CoordClient#elections()}.
 *
 * <ul>
 *   <li>{@link #campaign}: wait (server-side) until a session of yours leads; returns a
 *       {@link Leadership} with its term, a fencing token.
 *   <li>{@link #latch}: Curator-style LeaderLatch: campaigns in the background, again after
 *       each loss; {@code isLeader()}, {@code awaitLeadership}, listeners.
 *   <li>{@link #selector}: Curator-style LeaderSelector: runs a task while leader, interrupts
 *       it when leadership is lost, campaigns again when it returns.
 *   <li>{@link #observe}: every change of leader, in order, including NO_LEADER.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ElectionClient {
  private final Transport transport;
  private final SessionClient sessions;
  private final Duration timeout;

  /** Created by {@link io.coord.client.CoordClient#elections()}. */
  public ElectionClient(Transport transport, SessionClient sessions, Duration timeout) {
    this.transport = transport;
    this.sessions = sessions;
    this.timeout = timeout;
  }

  /**
   * Campaigns for {@code name} with {@code session}, publishing {@code value} once elected;
   * waits as long as it takes ({@code waitAtMost} null) or at most {@code waitAtMost}
   * (then fails with {@link CoordTimeoutException}). Cancelling the future withdraws the
   * campaign. If the outcome is uncertain when it gives up, the session's leadership and
   * campaign on {@code name} are ended, so it never leads without the caller knowing.
   */
  public CompletableFuture<Leadership> campaignAsync(String name, ByteString value,
      Session session, Duration waitAtMost) {
    CompletableFuture<Leadership> result = new CompletableFuture<>();
    long start = System.nanoTime();
    campaignAttempt(name, value, session, waitAtMost, start, result);
    return result;
  }

  private void campaignAttempt(String name, ByteString value, Session session,
      Duration waitAtMost, long start, CompletableFuture<Leadership> result) {
    Duration left = waitAtMost == null ? null : waitAtMost.minusNanos(System.nanoTime() - start);
    if (left != null && (left.isNegative() || left.isZero())) {
      left = Duration.ofMillis(1);
    }
    CompletableFuture<CampaignResponse> call = transport.waitingWrite(
        ElectionGrpc.getCampaignMethod(), leftMs -> CampaignRequest.newBuilder()
            .setName(name).setSession(session.id()).setValue(value)
            .setTimeoutMs(leftMs < 0 ? 0 : Math.max(1, leftMs)).build(), left, timeout);
    result.whenComplete((r, e) -> {
      if (result.isCancelled()) {
        call.cancel(true);
      }
    });
    call.whenComplete((response, error) -> {
      if (result.isCancelled()) {
        resignSessionQuietly(name, session);
        return;
      }
      if (error == null) {
        if (response.getElected()) {
          Leadership leadership = new Leadership(this, LeaderInfo.of(response.getLeader()),
              session);
          if (!result.complete(leadership)) {
            leadership.resign();
          }
        } else {
          result.completeExceptionally(new CoordTimeoutException("not elected leader of \""
              + name + "\" within " + waitAtMost, Map.of("election", name), null));
        }
        return;
      }
      Throwable cause = error instanceof java.util.concurrent.CompletionException
          && error.getCause() != null ? error.getCause() : error;
      boolean timeLeft = waitAtMost == null
          || System.nanoTime() - start < waitAtMost.toNanos();
      if (cause instanceof CoordException coord && coord.reason().equals("LOCK_WAIT_ENDED")
          && timeLeft) {
        campaignAttempt(name, value, session, waitAtMost, start, result);
        return;
      }
      // Fail only once the session's leftovers are resigned: a campaign again at once would
      // otherwise be given re-entrantly the very leadership this resignation then ends.
      resignSessionQuietly(name, session).whenComplete((r, e) ->
          result.completeExceptionally(cause));
    });
  }

  /** Blocking {@link #campaignAsync}, waiting as long as it takes. */
  public Leadership campaign(String name, String value, Session session) {
    return KvClient.await(campaignAsync(name, ByteString.copyFromUtf8(value), session, null));
  }

  /** The current leader of {@code name}, if any. */
  public CompletableFuture<Optional<LeaderInfo>> leaderAsync(String name) {
    return transport.read(ElectionGrpc.getLeaderMethod(),
        LeaderRequest.newBuilder().setName(name).build(), timeout)
        .thenApply(r -> r.hasLeader() ? Optional.of(LeaderInfo.of(r.getLeader()))
            : Optional.empty());
  }

  public Optional<LeaderInfo> leader(String name) {
    return KvClient.await(leaderAsync(name));
  }

  /** Leader and revision read together, for observers recovering from compaction. */
  CompletableFuture<ElectionEvent> stateAsync(String name) {
    return transport.read(ElectionGrpc.getLeaderMethod(),
        LeaderRequest.newBuilder().setName(name).build(), timeout)
        .thenApply(r -> r.hasLeader()
            ? new ElectionEvent(ElectionEvent.Type.LEADER,
                Optional.of(LeaderInfo.of(r.getLeader())), r.getHeader().getRevision())
            : new ElectionEvent(ElectionEvent.Type.NO_LEADER, Optional.empty(),
                r.getHeader().getRevision()));
  }

  /** Publishes a new value for the leadership of {@code term}. */
  public LeaderInfo proclaim(String name, long term, ByteString value) {
    return KvClient.await(transport.write(ElectionGrpc.getProclaimMethod(),
        ProclaimRequest.newBuilder().setName(name).setTerm(term).setValue(value).build(),
        timeout).thenApply(r -> LeaderInfo.of(r.getLeader())));
  }

  /** Ends the leadership of {@code term}; false if it was not the current one. */
  public boolean resign(String name, long term) {
    return KvClient.await(transport.write(ElectionGrpc.getResignMethod(),
        ResignRequest.newBuilder().setName(name).setTerm(term).build(), timeout)
        .thenApply(r -> r.getResigned()));
  }

  void resignQuietly(String name, long term) {
    try {
      resign(name, term);
    } catch (CoordException unreachable) {
      // The leadership ends with its session.
    }
  }

  CompletableFuture<?> resignSessionQuietly(String name, Session session) {
    return transport.write(ElectionGrpc.getResignMethod(), ResignRequest.newBuilder()
        .setName(name).setSession(session.id()).build(), timeout).exceptionally(e -> null);
  }

  /**
   * Observes {@code name}: first its current state, then every change, in order, exactly once,
   * across member failures; after a compaction of the history it needs, it reads the current
   * leader and goes on (intermediate changes are then skipped, the current state is not).
   */
  public ElectionObserver observe(String name, ElectionListener listener) {
    return observe(name, 0, listener);
  }

  /** Observes every change of {@code name} from {@code fromRevision} on (0: now). */
  public ElectionObserver observe(String name, long fromRevision, ElectionListener listener) {
    ElectionObserver observer = new ElectionObserver(this, transport, name, fromRevision,
        listener);
    observer.start();
    return observer;
  }

  /**
   * A leader latch for {@code name} publishing {@code value}, whose sessions have {@code ttl};
   * call {@link LeaderLatch#start()}.
   */
  public LeaderLatch latch(String name, String value, Duration ttl) {
    return new LeaderLatch(new Campaigner(this, sessions, name,
        ByteString.copyFromUtf8(value), ttl));
  }

  /**
   * A leader selector for {@code name}: runs {@code task} each time this client becomes leader;
   * call {@link LeaderSelector#start()}.
   */
  public LeaderSelector selector(String name, String value, Duration ttl,
      LeaderSelector.Task task) {
    return new LeaderSelector(new Campaigner(this, sessions, name,
        ByteString.copyFromUtf8(value), ttl), task);
  }
}
