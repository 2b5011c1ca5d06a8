package io.coord.client.election;

import com.google.protobuf.ByteString;
import io.coord.client.CoordException;
import io.coord.client.session.Session;
import io.coord.client.session.SessionClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Campaigns for one election until closed: grants a session, campaigns, reports the
 * leadership, and after each loss (the session LOST) or resignation campaigns again with a
 * fresh session if need be. Everything happens on one thread, in order, including the
 * callbacks.
 */
final class Campaigner implements AutoCloseable {
  /** Told of each leadership won and ended, on the campaigner's thread. */
  interface Callback {
    void elected(Leadership leadership);

    /** {@code leadership} ended: its session was lost, or it was resigned. */
    void ended(Leadership leadership);
  }

  private static final long MAX_BACKOFF_MS = 2000;

  private final ElectionClient elections;
  private final SessionClient sessions;
  private final String name;
  private final ByteString value;
  private final Duration ttl;
  private final ScheduledExecutorService loop;

  // Confined to the loop thread.
  private Callback callback;
  private Session session;
  private Leadership leadership;
  private CompletableFuture<?> pending;
  private boolean closed;
  private int failures;

  Campaigner(ElectionClient elections, SessionClient sessions, String name, ByteString value,
      Duration ttl) {
    this.elections = elections;
    this.sessions = sessions;
    this.name = name;
    this.value = value;
    this.ttl = ttl;
    this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "coord-campaign-" + name);
      t.setDaemon(true);
      return t;
    });
  }

  String name() {
    return name;
  }

  void start(Callback callback) {
    run(() -> {
      this.callback = callback;
      campaign();
    });
  }

  private void campaign() {
    if (closed || leadership != null || pending != null) {
      return;
    }
    if (session == null || session.isLost()) {
      CompletableFuture<Session> granted = sessions.grantAsync(ttl);
      pending = granted;
      granted.whenCompleteAsync((s, error) -> {
        pending = null;
        if (error != null) {
          retryLater();
        } else if (closed) {
          s.close();
        } else {
          session = s;
          campaign();
        }
      }, loop);
      return;
    }
    Session with = session;
    CompletableFuture<Leadership> campaigning = elections.campaignAsync(name, value, with, null);
    pending = campaigning;
    campaigning.whenCompleteAsync((won, error) -> {
      pending = null;
      if (error != null) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException
            && error.getCause() != null ? error.getCause() : error;
        if (with.isLost() || cause instanceof CoordException e
            && e.reason().equals("SESSION_NOT_FOUND")) {
          with.close();
          session = null;
        }
        if (!closed) {
          retryLater();
        }
        return;
      }
      if (closed) {
        won.resign();
        return;
      }
      failures = 0;
      leadership = won;
      won.lost().thenRunAsync(() -> lost(won), loop);
      callback.elected(won);
    }, loop);
  }

  private void lost(Leadership lost) {
    if (leadership != lost) {
      return;
    }
    leadership = null;
    session = null;
    callback.ended(lost);
    campaign();
  }

  /** Resigns {@code leadership} if it is still the current one, then campaigns again. */
  void resignAndCampaign(Leadership ended) {
    run(() -> {
      if (leadership == ended) {
        leadership = null;
        ended.resign();
        callback.ended(ended);
      }
      campaign();
    });
  }

  private void retryLater() {
    failures++;
    long delay = Math.min(MAX_BACKOFF_MS, 100L << Math.min(5, failures));
    try {
      loop.schedule(this::campaign, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException closing) {
      // Closed.
    }
  }

  private void run(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException closing) {
      // Closed.
    }
  }

  /** Resigns (the listener is told), withdraws any campaign, revokes the session; waits. */
  @Override
  public void close() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      loop.execute(() -> {
        closed = true;
        if (pending != null) {
          pending.cancel(true);
        }
        Leadership current = leadership;
        leadership = null;
        if (current != null) {
          current.resign();
          callback.ended(current);
        }
        if (session != null) {
          session.close();
        }
        done.complete(null);
      });
      done.get(30, TimeUnit.SECONDS);
    } catch (RejectedExecutionException | java.util.concurrent.ExecutionException
        | java.util.concurrent.TimeoutException alreadyClosed) {
      // Nothing more to do.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      loop.shutdown();
    }
  }
}
