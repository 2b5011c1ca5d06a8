package io.coord.client.internal;

import io.coord.client.session.Session;
import io.coord.client.session.SessionListener;
import io.coord.client.session.SessionLoss;
import io.coord.client.session.SessionState;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Something a session holds (a lock grant, a leadership) until it ends: tells when the session
 * is LOST while the hold lasts. It listens to the session only once {@link #lost()} was asked
 * for and only until {@link #end()}, so a long-lived session keeps no trace of past holds.
 */
public final class HoldLoss {
  private final Session session;
  private final AtomicBoolean ended = new AtomicBoolean();
  private CompletableFuture<SessionLoss> lost;
  private SessionListener listener;

  public HoldLoss(Session session) {
    this.session = session;
  }

  /** Completes when the session is LOST before {@link #end()}; never after it. */
  public synchronized CompletableFuture<SessionLoss> lost() {
    if (lost == null) {
      lost = new CompletableFuture<>();
      if (!ended.get()) {
        CompletableFuture<SessionLoss> signal = lost;
        listener = (s, state) -> {
          if (state == SessionState.LOST && !ended.get()) {
            s.lost().thenAccept(signal::complete);
          }
        };
        session.addListener(listener);
      }
    }
    return lost;
  }

  /** Ends the hold; true only for the first call. */
  public boolean end() {
    if (!ended.compareAndSet(false, true)) {
      return false;
    }
    synchronized (this) {
      if (listener != null) {
        session.removeListener(listener);
        listener = null;
      }
    }
    return true;
  }

  /** True until {@link #end()} and while the session is not lost. */
  public boolean holds() {
    return !ended.get() && !session.isLost();
  }
}
