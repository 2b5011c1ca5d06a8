package io.coord.bench.harness;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A closed loop with exactly N operations in flight: a new one starts when one completes. It
 * runs a warm-up phase, then the measured window, and stops issuing at the end of the window
 * or after {@code maxOps} operations, whichever comes first; then it waits (at most the drain
 * timeout) for the operations still in flight. Only operations that complete inside the
 * measured window count; every failure is counted by kind, none is dropped.
 */
public final class ClosedLoop {

  /**
   * How long and how hard to run.
   *
   * @param concurrency operations in flight
   * @param warmup phase whose results are discarded
   * @param window measured phase
   * @param maxOps most operations issued over both phases
   * @param drainTimeout longest wait for in-flight operations after the window
   * @param progressEvery how often a progress line goes to the progress stream (zero: never)
   */
  public record Settings(int concurrency, Duration warmup, Duration window, long maxOps,
      Duration drainTimeout, Duration progressEvery) {
    public Settings {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1");
      }
      if (maxOps < 1) {
        throw new IllegalArgumentException("maxOps must be at least 1");
      }
    }
  }

  private final Settings settings;
  private final String label;
  private final PrintStream progress;
  private final LongSupplier nanoClock;
  private final AtomicReference<PhaseStats> phase = new AtomicReference<>(new PhaseStats());
  private volatile boolean recordSuccesses = true;
  private Runnable onWindowStart = () -> { };
  private Runnable onWindowEnd = () -> { };

  public ClosedLoop(Settings settings, String label, PrintStream progress) {
    this(settings, label, progress, System::nanoTime);
  }

  ClosedLoop(Settings settings, String label, PrintStream progress, LongSupplier nanoClock) {
    this.settings = settings;
    this.label = label;
    this.progress = progress;
    this.nanoClock = nanoClock;
  }

  /**
   * The phase now running. A workload whose result is not the operation itself (watch events)
   * records into it, after turning off {@link #recordSuccesses(boolean)}.
   */
  public PhaseStats currentPhase() {
    return phase.get();
  }

  /** Whether successful operations are recorded (failures always are). */
  public void recordSuccesses(boolean record) {
    this.recordSuccesses = record;
  }

  /**
   * Runs {@code start} on the issuing thread when the measured window begins and {@code end}
   * when it ends (before the drain), e.g. to sample CPU over exactly the window.
   */
  public void windowHooks(Runnable start, Runnable end) {
    this.onWindowStart = start;
    this.onWindowEnd = end;
  }

  /** Runs {@code operation} with N in flight through warm-up and the measured window. */
  public LoopResult run(Operation operation) throws InterruptedException {
    int concurrency = settings.concurrency();
    Semaphore permits = new Semaphore(concurrency);
    ConcurrentLinkedQueue<Integer> slots = new ConcurrentLinkedQueue<>();
    for (int i = 0; i < concurrency; i++) {
      slots.add(i);
    }
    long start = nanoClock.getAsLong();
    long warmEnd = start + settings.warmup().toNanos();
    long end = warmEnd + settings.window().toNanos();
    long progressNanos = settings.progressEvery().toNanos();
    long nextProgress = start + (progressNanos > 0 ? progressNanos : Long.MAX_VALUE / 2);
    Progress report = new Progress();
    PhaseStats measured = null;
    long measureStart = warmEnd;
    long seq = 0;
    String stoppedBy;
    while (true) {
      long now = nanoClock.getAsLong();
      if (measured == null && now >= warmEnd) {
        onWindowStart.run();
        measured = new PhaseStats();
        measureStart = nanoClock.getAsLong();
        phase.set(measured);
        report.reset();
      }
      if (now >= end) {
        stoppedBy = "time";
        break;
      }
      if (seq >= settings.maxOps()) {
        stoppedBy = "count";
        break;
      }
      if (now >= nextProgress) {
        report.print(measured == null ? "warm-up" : "measure",
            (now - (measured == null ? start : measureStart)) / 1e9,
            (measured == null ? settings.warmup() : settings.window()).toMillis() / 1e3);
        nextProgress = now + progressNanos;
      }
      long waitMs = Math.max(1, Math.min(100, (Math.min(end, nextProgress) - now) / 1_000_000));
      if (!permits.tryAcquire(waitMs, TimeUnit.MILLISECONDS)) {
        continue;
      }
      int slot = slots.poll();
      long issued = nanoClock.getAsLong();
      CompletableFuture<?> future;
      try {
        future = operation.start(slot, seq++);
      } catch (RuntimeException e) {
        future = CompletableFuture.failedFuture(e);
      }
      future.whenComplete((ignored, error) -> {
        long done = nanoClock.getAsLong();
        PhaseStats stats = phase.get();
        if (error != null) {
          stats.failure(error);
        } else if (recordSuccesses) {
          stats.success(done - issued);
        }
        slots.add(slot);
        permits.release();
      });
    }
    long measureEnd = nanoClock.getAsLong();
    if (measured == null) {
      // The count bound ended the run inside the warm-up: an empty window.
      onWindowStart.run();
      measured = new PhaseStats();
      measureStart = measureEnd;
    }
    phase.set(new PhaseStats()); // completions after the window are not part of it
    onWindowEnd.run();
    long abandoned = 0;
    if (!permits.tryAcquire(concurrency, settings.drainTimeout().toMillis(),
        TimeUnit.MILLISECONDS)) {
      abandoned = concurrency - permits.availablePermits();
    } else {
      permits.release(concurrency);
    }
    return new LoopResult(measured.histogram(), measured.errors(), measured.errorKinds(),
        (measureEnd - measureStart) / 1e9, abandoned, stoppedBy);
  }

  /** Progress lines: throughput since the last line, p99 and errors of the phase so far. */
  private final class Progress {
    private long lastCount;
    private long lastNanos = nanoClock.getAsLong();

    void reset() {
      lastCount = 0;
      lastNanos = nanoClock.getAsLong();
    }

    void print(String phaseName, double elapsedS, double totalS) {
      if (progress == null) {
        return;
      }
      PhaseStats stats = phase.get();
      long count = stats.successes();
      long now = nanoClock.getAsLong();
      double rate = (count - lastCount) / Math.max(1e-9, (now - lastNanos) / 1e9);
      lastCount = count;
      lastNanos = now;
      double p99 = count == 0 ? 0 : stats.histogram().getValueAtPercentile(99) / 1000.0;
      progress.printf(Locale.ROOT, "%s: %s %.0f/%.0fs  %,.0f ops/s  p99 %.2f ms  errors %d%n",
          label, phaseName, elapsedS, totalS, rate, p99, stats.errors());
    }
  }
}
