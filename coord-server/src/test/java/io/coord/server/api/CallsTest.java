package io.coord.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Context;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CallsTest {
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor();
  private final Calls calls = new Calls(Duration.ofMillis(100));
  private final Outcome outcome = new Outcome();

  @AfterEach
  void stop() {
    deadlines.shutdownNow();
  }

  @Test
  void aCallWithoutDeadlineEndsAtTheDefaultTimeout() {
    Context.ROOT.run(() -> calls.unary(outcome, CompletableFuture::new));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> outcome.error.get() != null);
    assertThat(Status.fromThrowable(outcome.error.get()).getCode())
        .isEqualTo(Status.Code.DEADLINE_EXCEEDED);
  }

  @Test
  void aCallWithALongerDeadlineIsNotCutAtTheDefaultTimeout() {
    Context.CancellableContext call = Context.ROOT.withDeadlineAfter(30, TimeUnit.SECONDS,
        deadlines);
    CompletableFuture<String> answer = new CompletableFuture<>();
    call.run(() -> calls.unary(outcome, () -> answer));
    // Completes well after the 100 ms default timeout.
    CompletableFuture.delayedExecutor(500, TimeUnit.MILLISECONDS)
        .execute(() -> answer.complete("done"));

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> outcome.value.get() != null || outcome.error.get() != null);
    assertThat(outcome.error.get()).isNull();
    assertThat(outcome.value.get()).isEqualTo("done");
    call.cancel(null);
  }

  private static final class Outcome implements StreamObserver<String> {
    final AtomicReference<String> value = new AtomicReference<>();
    final AtomicReference<Throwable> error = new AtomicReference<>();

    @Override
    public void onNext(String next) {
      value.set(next);
    }

    @Override
    public void onError(Throwable t) {
      error.set(t);
    }

    @Override
    public void onCompleted() {
    }
  }
}
