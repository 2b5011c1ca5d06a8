package io.coord.chaos.workload;

import io.coord.client.CoordClient;
import java.util.Random;

/**
 * One logical client of a workload: a thread with its own {@link CoordClient} that runs
 * operations one at a time, with a short random pause between them, until the workload stops
 * or the run's end, and at most {@link #MAX_OPERATIONS} times. After an operation whose outcome
 * is unknown it goes on as a new process, as in Jepsen.
 */
abstract class Worker implements Runnable {
  static final int MAX_OPERATIONS = 1_000_000;

  protected final WorkloadContext context;
  protected final Recorder recorder;
  protected final Random random;
  protected final CoordClient client;
  protected long process;
  private volatile boolean stopping;

  Worker(WorkloadContext context, CoordClient client) {
    this.context = context;
    this.recorder = context.recorder();
    this.random = new Random(context.nextSeed());
    this.client = client;
    this.process = recorder.newProcess();
  }

  @Override
  public final void run() {
    try {
      for (int i = 0; i < MAX_OPERATIONS && running(); i++) {
        step();
        think();
      }
    } catch (RuntimeException e) {
      context.progress().say("worker %s stopped by an unexpected error: %s",
          Thread.currentThread().getName(), e);
    } finally {
      done();
    }
  }

  /** Called when the loop ends: closes the client. */
  protected void done() {
    client.close();
  }

  /** Runs one operation (or one round of a longer scenario). */
  protected abstract void step();

  /** True until the workload stops or the run ends. */
  protected boolean running() {
    return !stopping && System.nanoTime() < context.endNanos();
  }

  void requestStop() {
    stopping = true;
  }

  /** Continue as a new process after an operation with an unknown outcome. */
  protected void newProcess() {
    process = recorder.newProcess();
  }

  /** Sleeps 10-30 ms, or {@code millis} when given, unless stopping. */
  protected void think() {
    sleep(10 + random.nextInt(21));
  }

  protected void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopping = true;
    }
  }
}
