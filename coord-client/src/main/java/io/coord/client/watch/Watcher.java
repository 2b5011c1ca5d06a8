package io.coord.client.watch;

import io.coord.client.CoordException;
import io.coord.client.InvalidRequestException;
import io.coord.client.LimitExceededException;
import io.coord.client.internal.Detached;
import io.coord.client.internal.Errors;
import io.coord.client.internal.SerialExecutor;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.Event;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.proto.v1.WatchGrpc;
import io.coord.proto.v1.WatchProgressRequest;
import io.coord.proto.v1.WatchRequest;
import io.coord.proto.v1.WatchResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A running watch: delivers the events of a key or range to its {@link WatchListener} with
 * etcd's guarantees, across member failures. Create one with
 * {@link WatchClient#watch(String, WatchOptions, WatchListener)}; close it to stop.
 *
 * <p>What the listener sees is one uninterrupted stream: every revision's matching events once,
 * complete, in revision order, with no gap inside the retained history. When the member
 * serving the watch stops, fails or becomes unreachable, the watcher recreates the watch on
 * the next endpoint from (last revision delivered or vouched for by a progress notification)
 * + 1, with backoff once every endpoint failed in a row; the listener notices nothing. If the
 * cluster compacted that revision away meanwhile, the listener gets
 * {@link WatchListener#onCompacted(long)} once and the watch ends.
 *
 * <p>Each watcher has its own gRPC stream and reads the next response only after the listener
 * handled the previous one, so a slow listener holds back only its own watch.
 *
 * <p>Thread-safe.
 */
public final class Watcher implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(Watcher.class.getName());
  private static final long MAX_BACKOFF_MS = 1000;

  private final WatchClient client;
  private final WatchCreateRequest request;
  private final WatchListener listener;
  private final SerialExecutor delivery;
  private final CompletableFuture<Long> created = new CompletableFuture<>();
  private final Object lock = new Object();

  // Guarded by lock.
  private long nextRevision;
  private Connection connection;
  private int endpoint;
  private int failuresInARow;
  private boolean ended;
  private long reconnects;
  private long duplicatesDropped;
  private volatile boolean closedByUser;

  Watcher(WatchClient client, WatchCreateRequest request, WatchListener listener) {
    this.client = client;
    this.request = request;
    this.listener = listener;
    this.delivery = new SerialExecutor(client.listenerPool());
    this.nextRevision = request.getStartRevision();
  }

  void start() {
    connect();
  }

  /**
   * The revision the watch would resume from now: one past the last revision delivered or
   * vouched for by a progress notification; 0 until the first member answered a watch that
   * started at "the next revision".
   */
  public long nextRevision() {
    synchronized (lock) {
      return nextRevision;
    }
  }

  /**
   * Completes with the member's revision when the watch is first established; the watch
   * delivers every event after it (and from the start revision, if one was given). Completes
   * exceptionally if the watch ends before that.
   */
  public CompletableFuture<Long> created() {
    return created;
  }

  /** How often the watch was recreated on a member after its stream broke. */
  public long reconnects() {
    synchronized (lock) {
      return reconnects;
    }
  }

  /**
   * Events a member sent for revisions already delivered, which the watcher dropped. Always 0
   * unless a member broke the unique guarantee; exposed for tests and monitoring.
   */
  public long duplicatesDropped() {
    synchronized (lock) {
      return duplicatesDropped;
    }
  }

  /** True once the watch ended (closed, compacted or failed). */
  public boolean isClosed() {
    synchronized (lock) {
      return ended;
    }
  }

  /**
   * Asks the serving member for a progress notification: the listener gets
   * {@link WatchListener#onProgress(long)} once the member delivered everything up to its
   * current revision.
   */
  public void requestProgress() {
    Connection current;
    synchronized (lock) {
      current = connection;
    }
    if (current != null) {
      current.send(WatchRequest.newBuilder()
          .setProgressRequest(WatchProgressRequest.getDefaultInstance()).build());
    }
  }

  /**
   * Stops the watch. No listener call starts after this returns (one under way may finish).
   */
  @Override
  public void close() {
    closedByUser = true;
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
      current.cancel("watcher closed");
    }
    created.completeExceptionally(new CoordException("CLOSED", "the watcher was closed",
        Map.of(), null));
    client.forget(this);
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

  /** Handles one response of the current connection; returns what the listener must see. */
  private void handle(Connection from, WatchResponse response) {
    List<Runnable> calls = new ArrayList<>();
    boolean reconnect = false;
    synchronized (lock) {
      if (from != connection || ended) {
        return;
      }
      if (response.getCanceled()) {
        reconnect = canceled(response, calls);
      } else if (response.getCreated()) {
        if (nextRevision == 0) {
          nextRevision = response.getHeader().getRevision() + 1;
        }
        failuresInARow = 0;
        created.complete(response.getHeader().getRevision());
      } else if (response.getEventsCount() > 0 || !from.fragments.isEmpty()) {
        from.fragments.addAll(response.getEventsList());
        if (!response.getFragment()) {
          events(from.fragments, calls);
          from.fragments.clear();
        }
      } else {
        long revision = response.getHeader().getRevision();
        if (revision >= nextRevision) {
          nextRevision = revision + 1;
        }
        calls.add(() -> listener.onProgress(revision));
      }
    }
    if (reconnect) {
      broken(from, Status.UNAVAILABLE.withDescription(response.getCancelReason()).asException());
      return;
    }
    deliver(calls, from);
  }

  /** Groups events by revision and drops revisions already delivered. Under lock. */
  private void events(List<Event> events, List<Runnable> calls) {
    int i = 0;
    while (i < events.size()) {
      long revision = events.get(i).getKv().getModRevision();
      List<WatchEvent> group = new ArrayList<>();
      while (i < events.size() && events.get(i).getKv().getModRevision() == revision) {
        group.add(WatchEvent.of(events.get(i)));
        i++;
      }
      if (revision < nextRevision) {
        duplicatesDropped += group.size();
        LOG.warning("dropped " + group.size() + " events of revision " + revision
            + " delivered before (next revision " + nextRevision + ")");
        continue;
      }
      nextRevision = revision + 1;
      List<WatchEvent> revisionEvents = List.copyOf(group);
      calls.add(() -> listener.onEvents(revision, revisionEvents));
    }
  }

  /** A canceled response: true if the watch should be recreated elsewhere. Under lock. */
  private boolean canceled(WatchResponse response, List<Runnable> calls) {
    if (response.getCompactRevision() > 0) {
      long compactRevision = response.getCompactRevision();
      end(calls, () -> listener.onCompacted(compactRevision));
      return false;
    }
    ErrorReason reason = response.getErrorReason();
    if (reason == ErrorReason.NOT_READY || reason == ErrorReason.NO_LEADER) {
      return true;
    }
    String message = response.getCancelReason().isEmpty() ? "the member ended the watch"
        : response.getCancelReason();
    CoordException error = switch (reason) {
      case LIMIT_EXCEEDED -> new LimitExceededException(message, Map.of(), null);
      case INVALID_FIELD -> new InvalidRequestException(reason.name(), message, Map.of(), null);
      default -> new CoordException(reason.name(), message, Map.of(), null);
    };
    end(calls, () -> listener.onError(error));
    return false;
  }

  /** Ends the watch for good after delivering {@code last}. Under lock. */
  private void end(List<Runnable> calls, Runnable last) {
    ended = true;
    Connection current = connection;
    connection = null;
    calls.add(last);
    calls.add(() -> client.forget(this));
    if (current != null) {
      current.cancel("watch ended");
    }
    created.completeExceptionally(new CoordException("ENDED", "the watch ended", Map.of(),
        null));
  }

  /** Runs the listener calls in order, then asks the stream for the next response. */
  private void deliver(List<Runnable> calls, Connection from) {
    delivery.execute(() -> {
      for (Runnable call : calls) {
        if (closedByUser) {
          return;
        }
        try {
          call.run();
        } catch (RuntimeException e) {
          LOG.log(Level.WARNING, "a watch listener threw; the watch goes on", e);
        }
      }
      from.requestNext();
    });
  }

  private void broken(Connection from, Throwable failure) {
    long delay;
    List<Runnable> calls = new ArrayList<>();
    synchronized (lock) {
      if (from != connection || ended) {
        return;
      }
      connection = null;
      Status.Code code = Status.fromThrowable(failure).getCode();
      if (code == Status.Code.UNIMPLEMENTED || code == Status.Code.INVALID_ARGUMENT
          || code == Status.Code.PERMISSION_DENIED || code == Status.Code.UNAUTHENTICATED) {
        CoordException error = Errors.toException(failure);
        end(calls, () -> listener.onError(error));
        delay = -1;
      } else {
        int endpoints = client.endpoints().size();
        endpoint++;
        failuresInARow++;
        reconnects++;
        delay = failuresInARow < endpoints ? 0
            : Math.min(MAX_BACKOFF_MS, 50L << Math.min(5, failuresInARow / endpoints));
        LOG.fine(() -> "watch stream to " + from.endpoint + " broke (" + code
            + "); resuming from revision " + nextRevision);
      }
    }
    from.cancel("stream broken");
    if (delay < 0) {
      deliver(calls, from);
      return;
    }
    try {
      client.scheduler().schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException clientClosed) {
      close();
    }
  }

  /** One gRPC stream to one member. */
  private final class Connection implements ClientResponseObserver<WatchRequest, WatchResponse> {
    final String endpoint;
    final List<Event> fragments = new ArrayList<>();
    private volatile ClientCallStreamObserver<WatchRequest> requests;

    Connection(String endpoint) {
      this.endpoint = endpoint;
    }

    void open() {
      long start;
      synchronized (lock) {
        start = nextRevision;
      }
      try {
        Detached.run(() -> WatchGrpc.newStub(client.channel(endpoint)).watch(this));
      } catch (RuntimeException e) {
        broken(this, e);
        return;
      }
      send(WatchRequest.newBuilder().setCreateRequest(request.toBuilder()
          .setStartRevision(start)).build());
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<WatchRequest> stream) {
      requests = stream;
      stream.disableAutoRequestWithInitial(1);
    }

    void send(WatchRequest message) {
      ClientCallStreamObserver<WatchRequest> stream = requests;
      if (stream == null) {
        return;
      }
      try {
        synchronized (this) {
          stream.onNext(message);
        }
      } catch (RuntimeException cancelled) {
        // The stream already ended; its error callback handles it.
      }
    }

    void requestNext() {
      ClientCallStreamObserver<WatchRequest> stream = requests;
      try {
        if (stream != null) {
          stream.request(1);
        }
      } catch (RuntimeException ended) {
        // The stream already ended; its error callback handles it.
      }
    }

    void cancel(String why) {
      ClientCallStreamObserver<WatchRequest> stream = requests;
      try {
        if (stream != null) {
          stream.cancel(why, null);
        }
      } catch (RuntimeException ended) {
        // Already ended.
      }
    }

    @Override
    public void onNext(WatchResponse response) {
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
