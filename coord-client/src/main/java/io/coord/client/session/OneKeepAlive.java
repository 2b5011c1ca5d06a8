package io.coord.client.session;

import io.coord.client.CoordException;
import io.coord.client.UnavailableException;
import io.coord.client.internal.Transport;
import io.coord.proto.v1.SessionGrpc;
import io.coord.proto.v1.SessionKeepAliveRequest;
import io.coord.proto.v1.SessionKeepAliveResponse;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One keep-alive on a short-lived stream, tried on each endpoint in turn until one answers or
 * the timeout passes.
 */
final class OneKeepAlive {
  private static final long ATTEMPT_MS = 3000;

  private final Transport transport;
  private final long id;
  private final long deadlineNanos;
  private final CompletableFuture<KeepAliveResult> result = new CompletableFuture<>();
  private int attempt;
  private String lastFailure = "no attempt finished";

  OneKeepAlive(Transport transport, long id, Duration timeout) {
    this.transport = transport;
    this.id = id;
    this.deadlineNanos = System.nanoTime() + timeout.toNanos();
  }

  CompletableFuture<KeepAliveResult> start() {
    next();
    return result;
  }

  private void next() {
    long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
    if (remainingMs <= 0) {
      result.completeExceptionally(new UnavailableException("no member acknowledged a "
          + "keep-alive of session " + id + " in time (last: " + lastFailure + ")", Map.of(),
          null));
      return;
    }
    String endpoint = transport.leaderFirst(attempt,
        transport.endpoints().get(attempt % transport.endpoints().size()));
    attempt++;
    CompletableFuture<SessionKeepAliveResponse> answer = new CompletableFuture<>();
    ClientCallStreamObserver<SessionKeepAliveRequest> stream = transport.openStream(endpoint,
        SessionGrpc.getKeepAliveMethod(), new StreamObserver<>() {
          @Override
          public void onNext(SessionKeepAliveResponse response) {
            answer.complete(response);
          }

          @Override
          public void onError(Throwable t) {
            answer.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {
            answer.completeExceptionally(new IllegalStateException("stream ended"));
          }
        });
    stream.onNext(SessionKeepAliveRequest.newBuilder().setId(id).setNonce(1).build());
    answer.orTimeout(Math.min(remainingMs, ATTEMPT_MS), TimeUnit.MILLISECONDS)
        .whenComplete((response, error) -> {
          try {
            stream.onCompleted();
          } catch (RuntimeException alreadyOver) {
            // The call ended already.
          }
          if (error == null) {
            result.complete(new KeepAliveResult(id, Duration.ofSeconds(response.getTtl()),
                response.hasEnd() ? Optional.of(EndedSession.of(response.getEnd()))
                    : Optional.empty()));
            return;
          }
          Throwable cause = error instanceof java.util.concurrent.CompletionException
              && error.getCause() != null ? error.getCause() : error;
          Status status = Status.fromThrowable(cause);
          if (!(cause instanceof TimeoutException) && status.getCode() != Status.Code.UNAVAILABLE
              && status.getCode() != Status.Code.DEADLINE_EXCEEDED) {
            result.completeExceptionally(new CoordException(status.getCode().name(),
                endpoint + ": " + status.getDescription(), Map.of(), cause));
            return;
          }
          lastFailure = endpoint + ": " + (cause instanceof TimeoutException ? "no answer"
              : status.getCode() + " " + status.getDescription());
          CompletableFuture.delayedExecutor(attempt % transport.endpoints().size() == 0
              ? 100 : 0, TimeUnit.MILLISECONDS).execute(this::next);
        });
  }
}
