package io.coord.client.session;

import io.coord.client.internal.Scheduler;
import io.coord.proto.v1.SessionKeepAliveRequest;
import io.coord.proto.v1.SessionKeepAliveResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a client's sessions alive over one bidirectional stream to one member at a time. The
 * stream is reopened on the next endpoint when it breaks or when a keep-alive goes
 * unacknowledged for a keep-alive interval (the member may be cut off from the leader);
 * reopening sends a keep-alive for every session at once. Runs on its scheduler's thread.
 */
final class KeepAliveLoop implements AutoCloseable {
  private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

  /** Opens a keep-alive stream to an endpoint. */
  interface StreamOpener {
    ClientCallStreamObserver<SessionKeepAliveRequest> open(String endpoint,
        StreamObserver<SessionKeepAliveResponse> responses);
  }

  private final class Entry {
    final Liveness liveness;
    Scheduler.Cancellable next = () -> { };

    Entry(Liveness liveness) {
      this.liveness = liveness;
    }
  }

  private final List<String> endpoints;
  private final StreamOpener opener;
  private final Scheduler scheduler;
  private final Map<Long, Entry> sessions = new HashMap<>();
  private ClientCallStreamObserver<SessionKeepAliveRequest> stream;
  private long generation;
  private int endpoint;
  private int failures;
  private boolean reconnectPending;
  private long nextNonce = 1;
  private boolean closed;

  KeepAliveLoop(List<String> endpoints, StreamOpener opener, Scheduler scheduler) {
    this.endpoints = List.copyOf(endpoints);
    this.opener = opener;
    this.scheduler = scheduler;
    this.endpoint = ThreadLocalRandom.current().nextInt(endpoints.size());
  }

  /** Starts keeping {@code liveness}'s session alive; the first keep-alive leaves at once. */
  void add(Liveness liveness) {
    scheduler.execute(() -> {
      if (closed || liveness.isLost()) {
        return;
      }
      Entry entry = new Entry(liveness);
      sessions.put(liveness.id(), entry);
      if (stream == null) {
        connect();
      } else {
        send(entry);
      }
    });
  }

  /** Stops keeping session {@code id} alive. */
  void remove(long id) {
    scheduler.execute(() -> {
      Entry entry = sessions.remove(id);
      if (entry != null) {
        entry.next.cancel();
      }
      if (sessions.isEmpty() && stream != null) {
        ClientCallStreamObserver<SessionKeepAliveRequest> idle = stream;
        stream = null;
        generation++;
        idle.onCompleted();
      }
    });
  }

  private void connect() {
    if (closed || reconnectPending || stream != null || sessions.isEmpty()) {
      return;
    }
    long opened = ++generation;
    String target = endpoints.get(Math.floorMod(endpoint, endpoints.size()));
    try {
      stream = opener.open(target, new StreamObserver<>() {
        @Override
        public void onNext(SessionKeepAliveResponse response) {
          scheduler.execute(() -> answered(opened, response));
        }

        @Override
        public void onError(Throwable t) {
          scheduler.execute(() -> broke(opened, target + ": " + describe(t)));
        }

        @Override
        public void onCompleted() {
          scheduler.execute(() -> broke(opened, target + " ended the stream"));
        }
      });
    } catch (RuntimeException e) {
      stream = null;
      broke(opened, target + ": " + e);
      return;
    }
    for (Entry entry : sessions.values()) {
      send(entry);
    }
  }

  /** Sends a keep-alive for {@code entry} now and schedules the next one. */
  private void send(Entry entry) {
    entry.next.cancel();
    if (entry.liveness.isLost() || closed) {
      return;
    }
    if (stream != null) {
      long nonce = nextNonce++;
      long sentIn = generation;
      entry.liveness.sent(nonce, () -> overdue(sentIn));
      try {
        stream.onNext(SessionKeepAliveRequest.newBuilder()
            .setId(entry.liveness.id()).setNonce(nonce).build());
      } catch (RuntimeException e) {
        broke(sentIn, "sending failed: " + e);
      }
    }
    entry.next = scheduler.schedule(() -> send(entry), entry.liveness.intervalNanos());
  }

  private void answered(long in, SessionKeepAliveResponse response) {
    if (in != generation) {
      return;
    }
    failures = 0;
    Entry entry = sessions.get(response.getId());
    if (entry == null) {
      return;
    }
    if (response.getTtl() > 0) {
      entry.liveness.acknowledged(response.getNonce());
    } else {
      entry.liveness.gone(loss(response));
    }
  }

  /** A keep-alive sent on stream {@code in} went unacknowledged: try another member. */
  private void overdue(long in) {
    if (in == generation && stream != null) {
      broke(in, "a keep-alive was not acknowledged in time");
    }
  }

  private void broke(long in, String why) {
    if (in != generation || closed) {
      return;
    }
    generation++;
    if (stream != null) {
      try {
        stream.cancel(why, null);
      } catch (RuntimeException alreadyOver) {
        // The call ended already.
      }
      stream = null;
    }
    for (Entry entry : sessions.values()) {
      entry.liveness.streamDown();
    }
    endpoint++;
    failures++;
    long delay = failures <= 1 ? 0 : Math.min(MAX_BACKOFF_NANOS,
        TimeUnit.MILLISECONDS.toNanos(50L << Math.min(5, failures - 2)));
    delay += delay == 0 ? 0 : ThreadLocalRandom.current().nextLong(delay / 2 + 1);
    reconnectPending = true;
    scheduler.schedule(() -> {
      reconnectPending = false;
      connect();
    }, delay);
  }

  private static SessionLoss loss(SessionKeepAliveResponse response) {
    if (!response.hasEnd()) {
      return new SessionLoss(SessionLoss.Reason.NOT_FOUND, "session " + response.getId()
          + " is not known to the leader");
    }
    EndedSession end = EndedSession.of(response.getEnd());
    SessionLoss.Reason reason = switch (end.reason()) {
      case TTL_EXPIRED -> SessionLoss.Reason.EXPIRED;
      case REVOKED -> SessionLoss.Reason.REVOKED;
      case UNKNOWN -> SessionLoss.Reason.NOT_FOUND;
    };
    return new SessionLoss(reason, "session " + response.getId() + " ended (" + end.reason()
        + (end.revision() > 0 ? ") at revision " + end.revision() : ")"));
  }

  private static String describe(Throwable t) {
    Status status = Status.fromThrowable(t);
    return status.getCode() + (status.getDescription() == null ? ""
        : " " + status.getDescription());
  }

  @Override
  public void close() {
    scheduler.execute(() -> {
      closed = true;
      sessions.values().forEach(entry -> entry.next.cancel());
      sessions.clear();
      if (stream != null) {
        stream.cancel("client closed", null);
        stream = null;
      }
    });
  }
}
