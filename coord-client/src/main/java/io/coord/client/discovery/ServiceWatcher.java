package io.coord.client.discovery;

import io.coord.client.CoordException;
import io.coord.client.internal.Detached;
import io.coord.client.internal.Errors;
import io.coord.client.internal.SerialExecutor;
import io.coord.proto.v1.DiscoveryGrpc;
import io.coord.proto.v1.Instance;
import io.coord.proto.v1.ServiceWatchRequest;
import io.coord.proto.v1.ServiceWatchResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * A running watch of one service (see {@link DiscoveryClient#watch}): a snapshot, then every
 * change, delivered to its {@link ServiceWatchListener} one call at a time. When the serving
 * member stops or becomes unreachable, the watch resumes on the next endpoint from the last
 * revision received + 1 (with backoff once every endpoint failed in a row); if that history
 * was compacted the member sends a fresh snapshot. The listener sees an exact, ordered view
 * either way. Thread-safe; close it to stop.
 */
public final class ServiceWatcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(ServiceWatcher.class.getName());
  private static final long MAX_BACKOFF_MS = 1000;

  private final DiscoveryClient client;
  private final String service;
  private final ServiceWatchListener listener;
  private final SerialExecutor delivery;
  private final Object lock = new Object();

  // Guarded by lock.
  private long nextRevision;
  private int endpoint;
  private int failuresInARow;
  private long reconnects;
  private boolean ended;
  private Connection connection;

  ServiceWatcher(DiscoveryClient client, String service, ServiceWatchListener listener) {
    this.client = client;
    this.service = service;
    this.listener = listener;
    this.delivery = new SerialExecutor(client.listenerPool());
  }

  void start() {
    connect();
  }

  /** The service watched. */
  public String service() {
    return service;
  }

  /** How often the watch resumed on a member after its stream broke. */
  public long reconnects() {
    synchronized (lock) {
      return reconnects;
    }
  }

  /** One past the last revision received; 0 before the first snapshot. */
  public long nextRevision() {
    synchronized (lock) {
      return nextRevision;
    }
  }

  private void connect() {
    Connection next;
    synchronized (lock) {
      if (ended) {
        return;
      }
      List<String> endpoints = client.endpoints();
      next = new Connection(endpoints.get(Math.floorMod(endpoint, endpoints.size())));
      connection = next;
    }
    next.open();
  }

  private void handle(Connection from, ServiceWatchResponse response) {
    List<Runnable> calls = new ArrayList<>();
    synchronized (lock) {
      if (from != connection || ended) {
        return;
      }
      long revision = response.getHeader().getRevision();
      if (response.getSnapshot()) {
        from.snapshot.addAll(response.getInstancesList());
        if (!response.getSnapshotContinues()) {
          List<ServiceInstance> instances = from.snapshot.stream().map(ServiceInstance::of)
              .toList();
          from.snapshot.clear();
          nextRevision = revision + 1;
          failuresInARow = 0;
          calls.add(() -> listener.onSnapshot(revision, instances));
        }
      } else if (response.getEventsCount() > 0) {
        failuresInARow = 0;
        if (revision >= nextRevision) {
          nextRevision = revision + 1;
          List<InstanceEvent> events = response.getEventsList().stream()
              .map(InstanceEvent::of).toList();
          calls.add(() -> listener.onEvents(revision, events));
        }
      } else if (nextRevision > 0 && revision >= nextRevision) {
        nextRevision = revision + 1;
      }
    }
    delivery.execute(() -> {
      for (Runnable call : calls) {
        synchronized (lock) {
          if (ended) {
            return;
          }
        }
        try {
          call.run();
        } catch (RuntimeException e) {
          LOG.warning("a service watch listener threw; the watch goes on: " + e);
        }
      }
      from.requestNext();
    });
  }

  private void broken(Connection from, Throwable failure) {
    long delay;
    CoordException fatal = null;
    synchronized (lock) {
      if (from != connection || ended) {
        return;
      }
      connection = null;
      Status.Code code = Status.fromThrowable(failure).getCode();
      if (code == Status.Code.INVALID_ARGUMENT || code == Status.Code.UNIMPLEMENTED
          || code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED) {
        ended = true;
        fatal = Errors.convert(failure);
        delay = -1;
      } else {
        int endpoints = client.endpoints().size();
        endpoint++;
        failuresInARow++;
        reconnects++;
        delay = failuresInARow < endpoints ? 0
            : Math.min(MAX_BACKOFF_MS, 50L << Math.min(5, failuresInARow / endpoints));
      }
    }
    from.cancel("stream broken");
    if (fatal != null) {
      CoordException error = fatal;
      delivery.execute(() -> listener.onError(error));
      client.forget(this);
      return;
    }
    try {
      client.scheduler().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException clientClosed) {
      close();
    }
  }

  /** Stops the watch; no listener call starts after this returns. */
  @Override
  public void close() {
    Connection current;
    synchronized (lock) {
      if (ended) {
        return;
      }
      ended = true;
      current = connection;
      connection = null;
    }
    if (current != null) {
      current.cancel("watch closed");
    }
    client.forget(this);
  }

  /** One stream to one member. */
  private final class Connection
      implements ClientResponseObserver<ServiceWatchRequest, ServiceWatchResponse> {
    final String endpoint;
    final List<Instance> snapshot = new ArrayList<>();
    private volatile ClientCallStreamObserver<ServiceWatchRequest> call;

    Connection(String endpoint) {
      this.endpoint = endpoint;
    }

    void open() {
      long start;
      synchronized (lock) {
        start = nextRevision;
      }
      try {
        Detached.run(() -> DiscoveryGrpc.newStub(client.channel(endpoint)).watch(
            ServiceWatchRequest.newBuilder().setService(service).setStartRevision(start).build(),
            this));
      } catch (RuntimeException e) {
        broken(this, e);
      }
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<ServiceWatchRequest> stream) {
      call = stream;
      stream.disableAutoRequestWithInitial(1);
    }

    void requestNext() {
      try {
        if (call != null) {
          call.request(1);
        }
      } catch (RuntimeException ended) {
        // The stream already ended; its error callback handles it.
      }
    }

    void cancel(String why) {
      try {
        if (call != null) {
          call.cancel(why, null);
        }
      } catch (RuntimeException ended) {
        // Already ended.
      }
    }

    @Override
    public void onNext(ServiceWatchResponse response) {
      handle(this, response);
    }

    @Override
    public void onError(Throwable failure) {
      broken(this, failure);
    }

    @Override
    public void onCompleted() {
      broken(this, Status.UNAVAILABLE.withDescription("the member ended the stream")
          .asException());
    }
  }
}
