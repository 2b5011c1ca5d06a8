package io.coord.client.election;

import io.coord.client.CoordException;
import io.coord.client.internal.Detached;
import io.coord.client.internal.Errors;
import io.coord.client.internal.Transport;
import io.coord.proto.v1.ElectionGrpc;
import io.coord.proto.v1.ObserveRequest;
import io.coord.proto.v1.ObserveResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A running observation of an election (see {@link ElectionClient#observe}): each change once,
 * in revision order. When its member fails, it observes again on the next endpoint from the
 * last revision delivered + 1; when the history it needs was compacted, it reads the leader,
 * delivers that state if it differs from the last one delivered, and observes from there.
 * Close it to stop. Thread-safe.
 */
public final class ElectionObserver implements AutoCloseable {
  private static final long MAX_BACKOFF_MS = 1000;

  private final ElectionClient client;
  private final Transport transport;
  private final String name;
  private final ElectionListener listener;
  private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "coord-election-listener");
    t.setDaemon(true);
    return t;
  });
  private final java.util.concurrent.ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "coord-election-observer");
        t.setDaemon(true);
        return t;
      });
  private final Object lock = new Object();

  // Guarded by lock.
  private long nextRevision;
  private ElectionEvent last;
  private int endpoint;
  private int failuresInARow;
  private long reconnects;
  private ClientCall<ObserveRequest, ObserveResponse> call;
  private boolean closed;

  ElectionObserver(ElectionClient client, Transport transport, String name, long fromRevision,
      ElectionListener listener) {
    this.client = client;
    this.transport = transport;
    this.name = name;
    this.listener = listener;
    this.nextRevision = fromRevision;
  }

  /** Runs {@code call} on the listener thread unless closed by then. */
  private void deliver(Runnable call) {
    try {
      delivery.execute(() -> {
        synchronized (lock) {
          if (closed) {
            return;
          }
        }
        call.run();
      });
    } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
      // Closed.
    }
  }

  void start() {
    connect();
  }

  /** How often the observation moved to another member (or re-read after a compaction). */
  public long reconnects() {
    synchronized (lock) {
      return reconnects;
    }
  }

  private void connect() {
    Detached.run(this::connectHere);
  }

  private void connectHere() {
    ClientCall<ObserveRequest, ObserveResponse> next;
    ObserveRequest request;
    synchronized (lock) {
      if (closed) {
        return;
      }
      List<String> endpoints = transport.endpoints();
      next = transport.channel(endpoints.get(Math.floorMod(endpoint, endpoints.size())))
          .newCall(ElectionGrpc.getObserveMethod(), CallOptions.DEFAULT);
      call = next;
      request = ObserveRequest.newBuilder().setName(name).setStartRevision(nextRevision)
          .build();
    }
    ClientCalls.asyncServerStreamingCall(next, request, new StreamObserver<>() {
      @Override
      public void onNext(ObserveResponse response) {
        received(next, ElectionEvent.of(response.getEvent()));
      }

      @Override
      public void onError(Throwable failure) {
        broken(next, failure);
      }

      @Override
      public void onCompleted() {
        broken(next, Status.UNAVAILABLE.withDescription("observation ended").asException());
      }
    });
  }

  private void received(ClientCall<?, ?> from, ElectionEvent event) {
    synchronized (lock) {
      if (closed || from != call || event.revision() < nextRevision) {
        return;
      }
      nextRevision = event.revision() + 1;
      failuresInARow = 0;
      last = event;
    }
    deliver(() -> listener.onEvent(event));
  }

  private void broken(ClientCall<?, ?> from, Throwable failure) {
    Status status = Status.fromThrowable(failure);
    synchronized (lock) {
      if (closed || from != call) {
        return;
      }
      call = null;
      reconnects++;
    }
    if (status.getCode() == Status.Code.OUT_OF_RANGE) {
      recoverFromCompaction();
      return;
    }
    if (status.getCode() != Status.Code.UNAVAILABLE && status.getCode() != Status.Code.CANCELLED
        && status.getCode() != Status.Code.DEADLINE_EXCEEDED
        && status.getCode() != Status.Code.INTERNAL && status.getCode() != Status.Code.UNKNOWN) {
      CoordException error = Errors.convert(failure);
      deliver(() -> listener.onError(error));
      delivery.execute(this::close);
      return;
    }
    long backoff;
    synchronized (lock) {
      endpoint++;
      failuresInARow++;
      int endpoints = transport.endpoints().size();
      backoff = failuresInARow < endpoints ? 0
          : Math.min(MAX_BACKOFF_MS, 50L << Math.min(5, failuresInARow / endpoints));
    }
    schedule(this::connect, backoff);
  }

  /** Reads the leader and observes on from its revision. */
  private void recoverFromCompaction() {
    client.stateAsync(name).whenComplete((state, error) -> {
      if (error != null) {
        schedule(this::recoverFromCompaction, 200);
        return;
      }
      boolean changed;
      synchronized (lock) {
        if (closed) {
          return;
        }
        changed = !state.sameState(last);
        nextRevision = state.revision() + 1;
        if (changed) {
          last = state;
        }
      }
      if (changed) {
        deliver(() -> listener.onEvent(state));
      }
      connect();
    });
  }

  private void schedule(Runnable task, long delayMs) {
    try {
      timer.schedule(task, delayMs, TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException closedMeanwhile) {
      // Closed.
    }
  }

  /** Stops observing; the listener is not called afterwards. Idempotent. */
  @Override
  public void close() {
    ClientCall<?, ?> current;
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      current = call;
      call = null;
    }
    if (current != null) {
      current.cancel("observation closed", null);
    }
    timer.shutdownNow();
    delivery.shutdown();
  }
}
