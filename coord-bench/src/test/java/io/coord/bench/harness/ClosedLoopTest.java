package io.coord.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ClosedLoopTest {
  private final ScheduledExecutorService completer = Executors.newScheduledThreadPool(2);

  @AfterEach
  void stop() {
    completer.shutdownNow();
  }

  private static ClosedLoop loop(int concurrency, Duration warmup, Duration window, long maxOps,
      Duration drain) {
    return new ClosedLoop(new ClosedLoop.Settings(concurrency, warmup, window, maxOps, drain,
        Duration.ZERO), "test", null);
  }

  @Test
  void theCountBoundStopsIssuingAndEveryCompletionIsCounted() throws Exception {
    LoopResult result = loop(4, Duration.ZERO, Duration.ofMinutes(1), 1000, Duration.ofSeconds(5))
        .run((slot, seq) -> CompletableFuture.completedFuture(seq));

    assertThat(result.stoppedBy()).isEqualTo("count");
    assertThat(result.successes()).isEqualTo(1000);
    assertThat(result.errors()).isZero();
    assertThat(result.abandoned()).isZero();
  }

  @Test
  void failuresAreCountedByKindAndNotAsSuccesses() throws Exception {
    LoopResult result = loop(2, Duration.ZERO, Duration.ofMinutes(1), 100, Duration.ofSeconds(5))
        .run((slot, seq) -> seq % 10 == 0
            ? CompletableFuture.failedFuture(new IllegalStateException("boom " + seq))
            : CompletableFuture.completedFuture(seq));

    assertThat(result.successes()).isEqualTo(90);
    assertThat(result.errors()).isEqualTo(10);
    assertThat(result.errorKinds()).containsExactly(
        java.util.Map.entry("IllegalStateException: boom N", 10L));
  }

  @Test
  void anOperationThatThrowsInsteadOfFailingItsFutureIsAnError() throws Exception {
    LoopResult result = loop(1, Duration.ZERO, Duration.ofMinutes(1), 5, Duration.ofSeconds(5))
        .run((slot, seq) -> {
          throw new UnsupportedOperationException("nope");
        });

    assertThat(result.errors()).isEqualTo(5);
    assertThat(result.successes()).isZero();
  }

  @Test
  void neverMoreThanNInFlightAndEachSlotIsExclusive() throws Exception {
    int n = 8;
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger maxInFlight = new AtomicInteger();
    boolean[] slotBusy = new boolean[n];
    AtomicInteger slotClashes = new AtomicInteger();
    LoopResult result = loop(n, Duration.ZERO, Duration.ofMinutes(1), 2000, Duration.ofSeconds(5))
        .run((slot, seq) -> {
          synchronized (slotBusy) {
            if (slotBusy[slot]) {
              slotClashes.incrementAndGet();
            }
            slotBusy[slot] = true;
          }
          maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
          CompletableFuture<Long> done = new CompletableFuture<>();
          completer.schedule(() -> {
            inFlight.decrementAndGet();
            synchronized (slotBusy) {
              slotBusy[slot] = false;
            }
            done.complete(seq);
          }, 100, TimeUnit.MICROSECONDS);
          return done;
        });

    // The window ends when the count bound stops issuing: up to N finish after it.
    assertThat(result.successes()).isBetween(2000L - n, 2000L);
    assertThat(result.abandoned()).isZero();
    assertThat(maxInFlight.get()).isLessThanOrEqualTo(n);
    assertThat(slotClashes.get()).isZero();
  }

  @Test
  void theLoopReachesNInFlightWhenOperationsAreSlow() throws Exception {
    int n = 5;
    Queue<CompletableFuture<Long>> pending = new ConcurrentLinkedQueue<>();
    AtomicInteger issued = new AtomicInteger();
    // Nothing completes until the window is over: exactly N are issued, then they complete
    // during the drain (outside the window, so they are not counted).
    ClosedLoop loop = loop(n, Duration.ZERO, Duration.ofMillis(500), 1000, Duration.ofSeconds(10));
    loop.windowHooks(() -> { },
        () -> completer.execute(() -> pending.forEach(f -> f.complete(0L))));
    LoopResult result = loop.run((slot, seq) -> {
      issued.incrementAndGet();
      CompletableFuture<Long> f = new CompletableFuture<>();
      pending.add(f);
      return f;
    });

    assertThat(issued.get()).isEqualTo(n);
    assertThat(result.successes()).isZero();
    assertThat(result.abandoned()).isZero();
    assertThat(result.stoppedBy()).isEqualTo("time");
  }

  @Test
  void operationsStillRunningAfterTheDrainTimeoutAreReportedAsAbandoned() throws Exception {
    LoopResult result = loop(3, Duration.ZERO, Duration.ofMillis(200), 1000, Duration.ofMillis(100))
        .run((slot, seq) -> new CompletableFuture<>());

    assertThat(result.abandoned()).isEqualTo(3);
    assertThat(result.successes()).isZero();
  }

  @Test
  void warmUpCompletionsAreNotPartOfTheWindow() throws Exception {
    long[] now = {0};
    // A manual clock: every read advances 1 ms, so 100 reads span the 100 ms warm-up.
    ClosedLoop loop = new ClosedLoop(new ClosedLoop.Settings(1, Duration.ofMillis(100),
        Duration.ofMillis(100), 1_000_000, Duration.ofSeconds(1), Duration.ZERO), "test", null,
        () -> now[0] += 1_000_000);
    AtomicInteger windowStarts = new AtomicInteger();
    loop.windowHooks(windowStarts::incrementAndGet, () -> { });
    AtomicInteger total = new AtomicInteger();
    LoopResult result = loop.run((slot, seq) -> {
      total.incrementAndGet();
      return CompletableFuture.completedFuture(seq);
    });

    assertThat(windowStarts.get()).isEqualTo(1);
    assertThat(result.successes()).isPositive().isLessThan(total.get());
    assertThat(result.seconds()).isGreaterThan(0.05).isLessThan(0.2);
  }
}
