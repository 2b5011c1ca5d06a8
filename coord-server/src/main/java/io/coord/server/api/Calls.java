package io.coord.server.api;

import io.grpc.Context;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Runs unary calls: validation and failures become statuses; results go to the observer once. */
final class Calls {
  private final Duration defaultTimeout;

  Calls(Duration defaultTimeout) {
    this.defaultTimeout = defaultTimeout;
  }

  /**
   * Sends the outcome of {@code work} (which may throw synchronously) to {@code observer},
   * bounded by the call's deadline or, when the caller set none, the default timeout.
   */
  <T> void unary(StreamObserver<T> observer, Supplier<CompletableFuture<T>> work) {
    if (observer instanceof ServerCallStreamObserver<T> call) {
      call.setOnCancelHandler(() -> { });
    }
    CompletableFuture<T> result;
    try {
      result = work.get();
    } catch (RuntimeException e) {
      result = CompletableFuture.failedFuture(e);
    }
    if (Context.current().getDeadline() == null) {
      // A call with a deadline needs no timer of its own: gRPC cancels it at the deadline. A
      // timer per call woke the timer thread for every call, and a timer only cancelled stays
      // queued, holding the call's answer, until its deadline.
      result = result.orTimeout(defaultTimeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    result.whenComplete((value, error) -> {
      if (observer instanceof ServerCallStreamObserver<T> call && call.isCancelled()) {
        return;
      }
      try {
        if (error != null) {
          observer.onError(ApiErrors.toStatus(error));
        } else {
          observer.onNext(value);
          observer.onCompleted();
        }
      } catch (RuntimeException cancelledMeanwhile) {
        // The caller went away between the check and the send; nobody is listening.
      }
    });
  }

  /** Time left for the current call: its deadline, or the default timeout. */
  java.time.Duration remaining() {
    return java.time.Duration.ofMillis(timeoutMillis());
  }

  private long timeoutMillis() {
    var deadline = Context.current().getDeadline();
    return deadline == null ? defaultTimeout.toMillis()
        : Math.max(1, deadline.timeRemaining(TimeUnit.MILLISECONDS));
  }
}
