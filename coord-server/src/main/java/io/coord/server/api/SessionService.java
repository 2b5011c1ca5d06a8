package io.coord.server.api;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import io.coord.proto.v1.SessionGrantRequest;
import io.coord.proto.v1.SessionGrantResponse;
import io.coord.proto.v1.SessionGrpc;
import io.coord.proto.v1.SessionKeepAliveRequest;
import io.coord.proto.v1.SessionKeepAliveResponse;
import io.coord.proto.v1.SessionListRequest;
import io.coord.proto.v1.SessionListResponse;
import io.coord.proto.v1.SessionRevokeRequest;
import io.coord.proto.v1.SessionRevokeResponse;
import io.coord.proto.v1.SessionTimeToLiveRequest;
import io.coord.proto.v1.SessionTimeToLiveResponse;
import io.coord.server.cluster.LeaderRoute;
import io.coord.server.command.Command;
import io.coord.server.command.GrantSession;
import io.coord.server.error.CoordError;
import io.coord.server.session.SessionReader;
import io.coord.server.session.SessionStore;
import io.coord.server.session.SessionTracker;
import io.coord.server.session.TtlPolicy;
import io.coord.server.storage.ReadView;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongUnaryOperator;

/**
 * The Session gRPC service. Grant and Revoke go through the log; KeepAlive streams go to the
 * leader ({@link KeepAliveStreams}); TimeToLive and List need the leader's deadlines, so a
 * member that is not the ready leader forwards them to it, and answers from its own state with
 * an unknown remaining time when the leader cannot be reached.
 */
public final class SessionService extends SessionGrpc.SessionImplBase {
  private final TtlPolicy ttlPolicy;
  private final WritePath writes;
  private final ReadPath reads;
  private final SessionTracker tracker;
  private final LeaderRoute route;
  private final KeepAliveStreams keepAlives;
  private final Headers headers;
  private final Calls calls;
  private final Duration forwardTimeout;

  SessionService(TtlPolicy ttlPolicy, WritePath writes, ReadPath reads, SessionTracker tracker,
      LeaderRoute route, KeepAliveStreams keepAlives, Headers headers, Calls calls,
      Duration forwardTimeout) {
    this.ttlPolicy = ttlPolicy;
    this.writes = writes;
    this.reads = reads;
    this.tracker = tracker;
    this.route = route;
    this.keepAlives = keepAlives;
    this.headers = headers;
    this.calls = calls;
    this.forwardTimeout = forwardTimeout;
  }

  @Override
  public void grant(SessionGrantRequest request, StreamObserver<SessionGrantResponse> observer) {
    calls.unary(observer, () -> {
      TtlPolicy.Decision decision = ttlPolicy.decide(request.getTtl());
      return writes.submit(Command.newBuilder().setGrantSession(GrantSession.newBuilder()
          .setTtlMs(TimeUnit.SECONDS.toMillis(decision.ttlSeconds()))))
          .thenApply(result -> {
            SessionGrantResponse granted = result.getGrantSession();
            return granted.toBuilder()
                .setHeader(headers.complete(granted.getHeader()))
                .setRequestedTtl(decision.requestedSeconds())
                .setTtlAdjustment(decision.adjustment())
                .build();
          });
    });
  }

  @Override
  public StreamObserver<SessionKeepAliveRequest> keepAlive(
      StreamObserver<SessionKeepAliveResponse> observer) {
    return keepAlives.open(observer, ForwardedMark.isForwarded());
  }

  @Override
  public void revoke(SessionRevokeRequest request,
      StreamObserver<SessionRevokeResponse> observer) {
    calls.unary(observer, () -> {
      checkId("session_revoke.id", request.getId());
      return writes.submit(Command.newBuilder().setRevokeSession(request)).thenApply(result -> {
        SessionRevokeResponse revoked = result.getRevokeSession();
        return revoked.toBuilder().setHeader(headers.complete(revoked.getHeader())).build();
      });
    });
  }

  @Override
  public void timeToLive(SessionTimeToLiveRequest request,
      StreamObserver<SessionTimeToLiveResponse> observer) {
    boolean forwarded = ForwardedMark.isForwarded();
    calls.unary(observer, () -> {
      checkId("session_time_to_live.id", request.getId());
      return atLeader(forwarded,
          address -> call(SessionGrpc.newFutureStub(route.forwarded(address))
              .withDeadlineAfter(forwardTimeout.toMillis(), TimeUnit.MILLISECONDS)
              .timeToLive(request)),
          remaining -> (view, revision) -> timeToLive(view, revision, request, remaining));
    });
  }

  @Override
  public void list(SessionListRequest request, StreamObserver<SessionListResponse> observer) {
    boolean forwarded = ForwardedMark.isForwarded();
    calls.unary(observer, () -> atLeader(forwarded,
        address -> call(SessionGrpc.newFutureStub(route.forwarded(address))
            .withDeadlineAfter(forwardTimeout.toMillis(), TimeUnit.MILLISECONDS)
            .list(request)),
        remaining -> (view, revision) -> {
          SessionListResponse.Builder response = SessionListResponse.newBuilder()
              .setHeader(headers.at(revision));
          SessionReader.live(view).forEach(record -> response.addSessions(
              SessionReader.info(record, remaining.applyAsLong(record.getId()))));
          if (request.getIncludeEnded()) {
            response.addAllEnded(SessionReader.ended(view));
          }
          return response.build();
        }));
  }

  /** Reads a response from the state; {@code revision} is the state's store revision. */
  private interface StateReader<T> {
    T read(ReadView view, long revision);
  }

  /**
   * Serves a call that needs the leader's deadlines: here if this member is the ready leader,
   * else at the leader (once). Failing that, from this member's state with remaining times
   * unknown (-1): a linearizable read if a leader can confirm one, else the local state as is,
   * whose refusals then say that it may be stale.
   */
  private <T> CompletableFuture<T> atLeader(boolean forwarded,
      Function<String, CompletableFuture<T>> forward,
      Function<LongUnaryOperator, StateReader<T>> answer) {
    if (tracker.isActive()) {
      StateReader<T> reader = answer.apply(tracker::remainingMs);
      return reads.read(false, 0, (view, meta) -> reader.read(view, meta.revision()));
    }
    StateReader<T> local = answer.apply(id -> -1);
    Optional<LeaderRoute.Target> leader = forwarded ? Optional.empty() : route.remoteLeader();
    CompletableFuture<T> atLeader = leader.isPresent() ? forward.apply(leader.get().address())
        : CompletableFuture.failedFuture(CoordError.noLeader("no leader address known"));
    return atLeader
        .exceptionallyCompose(error -> unless(error, reads.read(false, 0,
            (view, meta) -> local.read(view, meta.revision()))))
        .exceptionallyCompose(error -> unless(error, reads.read(true, 0, (view, meta) -> {
          try {
            return local.read(view, meta.revision());
          } catch (CoordError refusal) {
            throw new CoordError(refusal.reason(), refusal.getMessage() + " (answered from the "
                + "state of a member that cannot reach a leader: it may be stale)",
                refusal.metadata());
          }
        })));
  }

  /** {@code fallback} if {@code error} means "no leader here or there", else the error. */
  private static <T> CompletableFuture<T> unless(Throwable error, CompletableFuture<T> fallback) {
    Status.Code code = Status.fromThrowable(ApiErrors.unwrap(error)).getCode();
    Throwable cause = ApiErrors.unwrap(error);
    boolean noLeader = cause instanceof CoordError coord
        ? ApiErrors.code(coord.reason()) == Status.Code.UNAVAILABLE
        : code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    return noLeader ? fallback : CompletableFuture.failedFuture(error);
  }

  private SessionTimeToLiveResponse timeToLive(ReadView view, long revision,
      SessionTimeToLiveRequest request, LongUnaryOperator remaining) {
    long id = request.getId();
    SessionTimeToLiveResponse.Builder response = SessionTimeToLiveResponse.newBuilder()
        .setHeader(headers.at(revision));
    var live = SessionReader.live(view, id);
    if (live.isPresent()) {
      long left = remaining.applyAsLong(id);
      return response.setLive(request.getKeys()
          ? SessionReader.infoWithKeys(view, live.get(), left)
          : SessionReader.info(live.get(), left)).build();
    }
    var ended = SessionReader.ended(view, id);
    if (ended.isPresent()) {
      return response.setEnded(ended.get()).build();
    }
    throw SessionStore.notFound(view, id);
  }

  private static void checkId(String field, long id) {
    if (id <= 0) {
      throw CoordError.invalidField(field, "must be a session id > 0 (got " + id + ")");
    }
  }

  private static <T> CompletableFuture<T> call(ListenableFuture<T> call) {
    CompletableFuture<T> result = new CompletableFuture<>();
    Futures.addCallback(call, new FutureCallback<>() {
      @Override
      public void onSuccess(T value) {
        result.complete(value);
      }

      @Override
      public void onFailure(Throwable t) {
        result.completeExceptionally(t);
      }
    }, MoreExecutors.directExecutor());
    return result;
  }
}
