package io.coord.client.session;

import io.coord.client.internal.Scheduler;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The state machine of one session on the client (see {@link SessionState} for the rules).
 * Knows when each keep-alive was sent, which were acknowledged, and so when the server could
 * expire the session at the earliest. Runs on its scheduler's thread only.
 */
final class Liveness {
  /** Told about transitions, in order, on the scheduler's thread. */
  interface Transitions {
    void entered(SessionState state, SessionLoss loss);
  }

  /** Keep-alives whose send time is remembered; older unacknowledged ones are forgotten. */
  private static final int MAX_OUTSTANDING = 64;
  private static final long MARGIN_FIXED_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final long id;
  private final long ttlNanos;
  private final Scheduler scheduler;
  private final Transitions transitions;
  /** Send time of each outstanding keep-alive, by nonce. */
  private final NavigableMap<Long, Long> sent = new TreeMap<>();
  /** Written on the scheduler's thread; read from any (Session.timeLeft). */
  private volatile SessionState state = SessionState.CONNECTED;
  private long lastAckedSendNanos;
  /** Highest nonce acknowledged so far (nonces increase with every keep-alive sent). */
  private long lastAckedNonce;
  private volatile long lostAtNanos;
  private Scheduler.Cancellable lostTimer = () -> { };

  /**
   * @param sentNanos when the grant (or the keep-alive that adopted the session) was sent: the
   *     server's deadline is at least TTL after it
   */
  Liveness(long id, long ttlNanos, long sentNanos, Scheduler scheduler,
      Transitions transitions) {
    this.id = id;
    this.ttlNanos = ttlNanos;
    this.scheduler = scheduler;
    this.transitions = transitions;
    acknowledgedSentAt(sentNanos);
  }

  /** Margin for clock-rate differences: 1% of the TTL plus 100 ms. */
  static long marginNanos(long ttlNanos) {
    return ttlNanos / 100 + MARGIN_FIXED_NANOS;
  }

  long id() {
    return id;
  }

  /** Time between keep-alives, and how long one may go unacknowledged: TTL / 3. */
  long intervalNanos() {
    return ttlNanos / 3;
  }

  SessionState state() {
    return state;
  }

  boolean isLost() {
    return state == SessionState.LOST;
  }

  /** Time left until this client declares the session lost unless an ack arrives. */
  long nanosUntilLost() {
    return isLost() ? 0 : Math.max(0, lostAtNanos - scheduler.nanoTime());
  }

  /**
   * A keep-alive with {@code nonce} was sent now; if no keep-alive sent at or after this one
   * is acknowledged within an interval, the session is suspended and {@code ifOverdue} runs.
   */
  void sent(long nonce, Runnable ifOverdue) {
    if (isLost()) {
      return;
    }
    long now = scheduler.nanoTime();
    sent.put(nonce, now);
    if (sent.size() > MAX_OUTSTANDING) {
      sent.pollFirstEntry();
    }
    scheduler.schedule(() -> {
      if (!isLost() && lastAckedNonce < nonce) {
        suspend();
        ifOverdue.run();
      }
    }, intervalNanos());
  }

  /** The leader acknowledged the keep-alive with {@code nonce}. */
  void acknowledged(long nonce) {
    if (isLost()) {
      return;
    }
    if (scheduler.nanoTime() - lostAtNanos >= 0) {
      deadlinePassed();
      return;
    }
    Long sentAt = sent.get(nonce);
    if (sentAt == null) {
      return;
    }
    sent.headMap(nonce, true).clear();
    lastAckedNonce = Math.max(lastAckedNonce, nonce);
    if (sentAt - lastAckedSendNanos > 0) {
      acknowledgedSentAt(sentAt);
    }
    if (state == SessionState.SUSPENDED) {
      enter(SessionState.RECONNECTED, null);
    }
  }

  /** The stream to the cluster broke: acknowledgements cannot come until it is reopened. */
  void streamDown() {
    suspend();
  }

  /** The server says the session does not exist. */
  void gone(SessionLoss loss) {
    lose(loss);
  }

  /** This handle is being closed. */
  void close() {
    lose(new SessionLoss(SessionLoss.Reason.CLOSED, "session " + id + " closed"));
  }

  private void acknowledgedSentAt(long sentNanos) {
    lastAckedSendNanos = sentNanos;
    lostAtNanos = sentNanos + ttlNanos - marginNanos(ttlNanos);
    lostTimer.cancel();
    lostTimer = scheduler.schedule(() -> {
      if (!isLost() && scheduler.nanoTime() - lostAtNanos >= 0) {
        deadlinePassed();
      }
    }, lostAtNanos - scheduler.nanoTime());
  }

  private void deadlinePassed() {
    lose(new SessionLoss(SessionLoss.Reason.DEADLINE_PASSED, "no keep-alive of session " + id
        + " was acknowledged within its TTL of " + TimeUnit.NANOSECONDS.toMillis(ttlNanos)
        + " ms (less a margin of " + TimeUnit.NANOSECONDS.toMillis(marginNanos(ttlNanos))
        + " ms): the server may expire it any moment"));
  }

  private void suspend() {
    if (state.isConnected()) {
      enter(SessionState.SUSPENDED, null);
    }
  }

  private void lose(SessionLoss loss) {
    if (isLost()) {
      return;
    }
    lostTimer.cancel();
    sent.clear();
    enter(SessionState.LOST, loss);
  }

  private void enter(SessionState next, SessionLoss loss) {
    state = next;
    transitions.entered(next, loss);
  }
}
