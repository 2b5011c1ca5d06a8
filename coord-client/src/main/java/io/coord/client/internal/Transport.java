package io.coord.client.internal;

import io.coord.client.CoordException;
import io.coord.client.CoordTimeoutException;
import io.coord.client.UnavailableException;
import io.coord.proto.v1.ClusterGrpc;
import io.coord.proto.v1.MemberListRequest;
import io.coord.proto.v1.MemberListResponse;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends unary calls to the cluster: to the current endpoint, failing over to the next one when
 * a member is unreachable, has no leader or does not answer in time, until the request timeout.
 * Every attempt of a write carries the same client id and sequence, so a write is applied once
 * however often it is retried.
 */
public final class Transport implements AutoCloseable {
  private static final Metadata.Key<String> CLIENT_ID =
      Metadata.Key.of("coord-client-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SEQ =
      Metadata.Key.of("coord-seq", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> FIRST_INCOMPLETE =
      Metadata.Key.of("coord-first-incomplete-seq", Metadata.ASCII_STRING_MARSHALLER);
  private static final long MAX_BACKOFF_MS = 1000;

  private final List<String> endpoints;
  private final Duration attemptTimeout;
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
  private final AtomicInteger current = new AtomicInteger();
  private final LeaderHint leaderHint = new LeaderHint();
  private final WriteIds writeIds = new WriteIds();
  private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread t = new Thread(r, "coord-client-retries");
        t.setDaemon(true);
        return t;
      });

  private final ForkJoinPool callbacks = callbackPool();

  public Transport(List<String> endpoints, Duration attemptTimeout) {
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("at least one endpoint (host:port) is required");
    }
    this.endpoints = List.copyOf(endpoints);
    this.attemptTimeout = attemptTimeout;
  }

  public List<String> endpoints() {
    return endpoints;
  }

  public long clientId() {
    return writeIds.clientId();
  }

  /** Sends a read (or any call that is safe to repeat). */
  public <Q, R> CompletableFuture<R> read(MethodDescriptor<Q, R> method, Q request,
      Duration timeout) {
    return new Attempts<>(method, request, timeout, 0, false).start();
  }

  /**
   * Sends a request that may take long (a membership change): each attempt may use all the
   * time left, and only an unreachable member or one without a leader makes it try the next.
   */
  public <Q, R> CompletableFuture<R> admin(MethodDescriptor<Q, R> method, Q request,
      Duration timeout) {
    return new Attempts<>(method, request, timeout, 0, true).start();
  }

  /**
   * Opens a server stream on the first endpoint that accepts it (the stream is not moved to
   * another member once it started).
   */
  public <Q, R> java.util.Iterator<R> stream(MethodDescriptor<Q, R> method, Q request,
      Duration timeout) {
    List<String> failures = new ArrayList<>();
    for (String endpoint : endpoints) {
      java.util.Iterator<R> stream = ClientCalls.blockingServerStreamingCall(channel(endpoint),
          method, CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(),
              TimeUnit.MILLISECONDS), request);
      try {
        if (stream.hasNext()) {
          return stream;
        }
        return java.util.Collections.emptyIterator();
      } catch (RuntimeException e) {
        if (!Errors.retryable(e) || Status.fromThrowable(e).getCode()
            == Status.Code.DEADLINE_EXCEEDED) {
          throw Errors.toException(e);
        }
        failures.add(endpoint + ": " + describe(e));
      }
    }
    throw new UnavailableException("no member could stream " + method.getBareMethodName() + " ("
        + String.join("; ", failures) + ")", Map.of(), null);
  }

  /** Sends a write under a fresh sequence number, reused by every retry. */
  public <Q, R> CompletableFuture<R> write(MethodDescriptor<Q, R> method, Q request,
      Duration timeout) {
    long seq = writeIds.begin();
    CompletableFuture<R> result = new Attempts<>(method, request, timeout, seq, false).start();
    result.whenComplete((r, e) -> writeIds.end(seq));
    return result;
  }

  /**
   * Sends a write that may wait long on the server (Lock.Acquire, Election.Campaign). Every
   * attempt carries the same sequence number, so a retry resumes the same wait; an attempt may
   * use all the time left ({@code timeout} null: no limit), and only a member that is
   * unreachable, has no leader or stops makes it try the next. {@code request} builds each
   * attempt's request from the milliseconds left (-1 without a limit). Cancelling the returned
   * future cancels the call in flight (the server then withdraws the wait).
   *
   * @param grace added to each attempt's deadline beyond the time left, for the server to
   *     answer a wait that timed out
   */
  public <Q, R> CompletableFuture<R> waitingWrite(MethodDescriptor<Q, R> method,
      java.util.function.LongFunction<Q> request, Duration timeout, Duration grace) {
    long seq = writeIds.begin();
    CompletableFuture<R> result = new WaitingAttempts<>(method, request, timeout, grace, seq)
        .start();
    result.whenComplete((r, e) -> writeIds.end(seq));
    return result;
  }

  /** The attempts of one {@link #waitingWrite}. */
  private final class WaitingAttempts<Q, R> {
    private final MethodDescriptor<Q, R> method;
    private final java.util.function.LongFunction<Q> request;
    private final long deadlineNanos;
    private final long graceMs;
    private final long seq;
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final List<String> failures = new ArrayList<>();
    private volatile com.google.common.util.concurrent.ListenableFuture<R> inFlight;
    private int attempt;

    WaitingAttempts(MethodDescriptor<Q, R> method, java.util.function.LongFunction<Q> request,
        Duration timeout, Duration grace, long seq) {
      this.method = method;
      this.request = request;
      this.deadlineNanos = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
      this.graceMs = grace.toMillis();
      this.seq = seq;
      result.whenComplete((r, e) -> {
        var call = inFlight;
        if (result.isCancelled() && call != null) {
          call.cancel(true);
        }
      });
    }

    CompletableFuture<R> start() {
      send();
      return result;
    }

    private void send() {
      if (result.isDone()) {
        return;
      }
      long leftMs = deadlineNanos == Long.MAX_VALUE ? -1
          : TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      if (leftMs == 0 || leftMs < -1) {
        leftMs = 1;
      }
      int position = current.get();
      String endpoint = leaderFirst(attempt, endpoints.get(Math.floorMod(position,
          endpoints.size())));
      CallOptions options = leftMs < 0 ? CallOptions.DEFAULT : CallOptions.DEFAULT
          .withDeadlineAfter(leftMs + graceMs, TimeUnit.MILLISECONDS);
      Metadata headers = new Metadata();
      headers.put(CLIENT_ID, Long.toUnsignedString(writeIds.clientId()));
      headers.put(SEQ, Long.toUnsignedString(seq));
      headers.put(FIRST_INCOMPLETE, Long.toUnsignedString(writeIds.firstIncomplete()));
      Channel target = ClientInterceptors.intercept(channel(endpoint),
          MetadataUtils.newAttachHeadersInterceptor(headers));
      var call = ClientCalls.futureUnaryCall(target.newCall(method, options),
          request.apply(leftMs));
      inFlight = call;
      if (result.isCancelled()) {
        call.cancel(true);
        return;
      }
      CompletableFuture<R> reply = new CompletableFuture<>();
      Futures.listen(call, reply);
      reply.whenComplete((value, error) -> {
        if (error == null) {
          leaderHint.observe(endpoint, value);
          result.complete(value);
          return;
        }
        Throwable cause = unwrap(error);
        if (result.isDone()) {
          return;
        }
        boolean timeLeft = deadlineNanos == Long.MAX_VALUE
            || System.nanoTime() - deadlineNanos < 0;
        if (Status.fromThrowable(cause).getCode() != Status.Code.UNAVAILABLE || !timeLeft) {
          result.completeExceptionally(Errors.toException(cause));
          return;
        }
        failures.add(endpoint + ": " + describe(cause));
        leaderHint.failed(endpoint);
        current.compareAndSet(position, position + 1);
        attempt++;
        long backoff = attempt % endpoints.size() == 0
            ? Math.min(MAX_BACKOFF_MS, 50L << Math.min(5, attempt / endpoints.size())) : 0;
        try {
          retries.schedule(this::send, backoff, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
          result.completeExceptionally(new CoordException("CLOSED", "the client is closed",
              Map.of(), cause));
        }
      });
    }
  }

  /** Sends a call to one endpoint only, without retries (e.g. per-member status). */
  public <Q, R> CompletableFuture<R> callOnce(String endpoint, MethodDescriptor<Q, R> method,
      Q request, Duration timeout) {
    ClientCall<Q, R> call = channel(endpoint).newCall(method,
        CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS));
    CompletableFuture<R> result = new CompletableFuture<>();
    Futures.listen(ClientCalls.futureUnaryCall(call, request), result);
    return result.handle((r, e) -> {
      if (e != null) {
        throw Errors.retryable(unwrap(e)) ? unavailable(endpoint, unwrap(e))
            : Errors.toException(unwrap(e));
      }
      return r;
    });
  }

  /**
   * Opens a bidirectional stream to {@code endpoint} (no deadline, no retries: the caller
   * reconnects), outside the caller's cancellation ({@link Detached}): it may outlive the call
   * that opens it. Returns the request side; {@code responses} gets the answers and the end.
   */
  public <Q, R> ClientCallStreamObserver<Q> openStream(String endpoint,
      MethodDescriptor<Q, R> method, StreamObserver<R> responses) {
    return Detached.get(() -> (ClientCallStreamObserver<Q>) ClientCalls.asyncBidiStreamingCall(
        channel(endpoint).newCall(method, CallOptions.DEFAULT), responses));
  }

  /**
   * The threads that run the channels' callbacks, and so the continuations of the futures this
   * client returns. A work-stealing pool: gRPC's default, a cached pool, hands every callback
   * over to a parked thread, which cost the client ~40 % of its CPU per read at 128 in flight.
   * Waiting on one of this client's futures there is fine (join and get compensate in a
   * ForkJoinPool); other blocking takes a thread from every call's callbacks.
   */
  private static ForkJoinPool callbackPool() {
    AtomicInteger threads = new AtomicInteger();
    return new ForkJoinPool(Math.max(4, Runtime.getRuntime().availableProcessors()), pool -> {
      ForkJoinWorkerThread thread =
          ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
      thread.setName("coord-client-callbacks-" + threads.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }, null, true);
  }

  /** The channel to one endpoint (created on first use, shared, closed with the transport). */
  public ManagedChannel channel(String endpoint) {
    return channels.computeIfAbsent(endpoint, e -> NettyChannelBuilder.forTarget(e)
        .usePlaintext()
        .keepAliveTime(2, TimeUnit.SECONDS)
        .keepAliveTimeout(2, TimeUnit.SECONDS)
        .maxInboundMessageSize(256 << 20)
        // This class retries UNAVAILABLE itself (a write under its sequence number), so gRPC's
        // transparent-retry layer adds nothing but its cost: ~15 % of the client's CPU per read.
        .disableRetry()
        .executor(callbacks)
        .build());
  }

  /** Asks every endpoint who answers there (its response header says), for the leader hint. */
  private void probeMembers() {
    for (String endpoint : endpoints) {
      ClientCall<MemberListRequest, MemberListResponse> call = channel(endpoint).newCall(
          ClusterGrpc.getMemberListMethod(),
          CallOptions.DEFAULT.withDeadlineAfter(attemptTimeout.toMillis(), TimeUnit.MILLISECONDS));
      CompletableFuture<MemberListResponse> reply = new CompletableFuture<>();
      Futures.listen(ClientCalls.futureUnaryCall(call, MemberListRequest.getDefaultInstance()),
          reply);
      reply.thenAccept(response -> leaderHint.observe(endpoint, response));
    }
  }

  /**
   * Where attempt {@code attempt} of a call that the leader decides (a write, a keep-alive)
   * goes: the first to the leader when it is known, saving a follower's forwarding hop; the
   * others to the endpoint in turn.
   */
  public String leaderFirst(int attempt, String inTurn) {
    return attempt == 0 ? leaderHint.leaderEndpoint().orElse(inTurn) : inTurn;
  }

  /** One request's attempts. */
  private final class Attempts<Q, R> {
    private final MethodDescriptor<Q, R> method;
    private final Q request;
    private final long deadlineNanos;
    private final long seq;
    private final boolean patient;
    private final CompletableFuture<R> result = new CompletableFuture<>();
    private final List<String> failures = new ArrayList<>();
    private int attempt;

    Attempts(MethodDescriptor<Q, R> method, Q request, Duration timeout, long seq,
        boolean patient) {
      this.method = method;
      this.request = request;
      this.deadlineNanos = System.nanoTime() + timeout.toNanos();
      this.seq = seq;
      this.patient = patient;
    }

    CompletableFuture<R> start() {
      send();
      return result;
    }

    private void send() {
      long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
      if (remainingMs <= 0) {
        result.completeExceptionally(gaveUp());
        return;
      }
      int position = current.get();
      int index = Math.floorMod(position, endpoints.size());
      String inTurn = endpoints.get(index);
      String endpoint = seq != 0 ? leaderFirst(attempt, inTurn) : inTurn;
      long attemptMs = patient ? remainingMs : Math.min(remainingMs, attemptTimeout.toMillis());
      CallOptions options = CallOptions.DEFAULT
          .withDeadlineAfter(attemptMs, TimeUnit.MILLISECONDS);
      Channel target = channel(endpoint);
      if (seq != 0) {
        Metadata headers = new Metadata();
        headers.put(CLIENT_ID, Long.toUnsignedString(writeIds.clientId()));
        headers.put(SEQ, Long.toUnsignedString(seq));
        headers.put(FIRST_INCOMPLETE, Long.toUnsignedString(writeIds.firstIncomplete()));
        target = ClientInterceptors.intercept(target,
            MetadataUtils.newAttachHeadersInterceptor(headers));
      }
      CompletableFuture<R> reply = new CompletableFuture<>();
      Futures.listen(ClientCalls.futureUnaryCall(target.newCall(method, options), request),
          reply);
      reply.whenComplete((value, error) -> {
        if (error == null) {
          leaderHint.observe(endpoint, value);
          result.complete(value);
          if (leaderHint.shouldProbe(System.nanoTime())) {
            probeMembers();
          }
          return;
        }
        Throwable cause = unwrap(error);
        if (!Errors.retryable(cause) || patient
            && Status.fromThrowable(cause).getCode() != Status.Code.UNAVAILABLE) {
          result.completeExceptionally(Errors.toException(cause));
          return;
        }
        failures.add(endpoint + ": " + describe(cause));
        leaderHint.failed(endpoint);
        // Move on from this endpoint unless another request already did.
        current.compareAndSet(position, position + 1);
        attempt++;
        long backoff = attempt % endpoints.size() == 0
            ? Math.min(MAX_BACKOFF_MS, 50L << Math.min(5, attempt / endpoints.size())) : 0;
        try {
          retries.schedule(this::send, backoff, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
          result.completeExceptionally(new CoordException("CLOSED", "the client is closed",
              Map.of(), cause));
        }
      });
    }

    private CoordException gaveUp() {
      String last = failures.isEmpty() ? "no attempt finished"
          : failures.get(failures.size() - 1);
      String message = "no member answered " + method.getBareMethodName() + " in time ("
          + failures.size() + " attempts over " + endpoints + "; last: " + last + ")";
      boolean anyUnavailable = failures.stream().anyMatch(f -> f.contains("UNAVAILABLE"));
      return anyUnavailable ? new UnavailableException(message, Map.of(), null)
          : new CoordTimeoutException(message, Map.of(), null);
    }
  }

  private static String describe(Throwable cause) {
    Status status = Status.fromThrowable(cause);
    return status.getCode() + (status.getDescription() == null ? ""
        : " " + status.getDescription());
  }

  private static UnavailableException unavailable(String endpoint, Throwable cause) {
    return new UnavailableException(endpoint + ": " + describe(cause), Map.of(), cause);
  }

  static Throwable unwrap(Throwable error) {
    Throwable cause = error;
    while ((cause instanceof java.util.concurrent.CompletionException
        || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  @Override
  public void close() {
    retries.shutdownNow();
    channels.values().forEach(ManagedChannel::shutdown);
    for (ManagedChannel channel : channels.values()) {
      try {
        if (!channel.awaitTermination(2, TimeUnit.SECONDS)) {
          channel.shutdownNow();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        channel.shutdownNow();
      }
    }
    // Last: the calls ended by the shutdown still deliver their callbacks here.
    callbacks.shutdown();
  }
}
