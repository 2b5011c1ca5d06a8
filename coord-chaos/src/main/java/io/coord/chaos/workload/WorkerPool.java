package io.coord.chaos.workload;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The worker threads of one workload. */
final class WorkerPool {
  private final String name;
  private final List<Worker> workers = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  WorkerPool(String name) {
    this.name = name;
  }

  void start(Worker worker) {
    Thread thread = new Thread(worker, "chaos-" + name + "-" + (threads.size() + 1));
    thread.setDaemon(true);
    workers.add(worker);
    threads.add(thread);
    thread.start();
  }

  /**
   * Asks every worker to stop and waits for them: an operation under way ends within the
   * client's request timeout.
   *
   * @return the names of workers that did not end in time
   */
  List<String> stop() {
    workers.forEach(Worker::requestStop);
    List<String> stuck = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    for (Thread thread : threads) {
      try {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (thread.isAlive()) {
        stuck.add(thread.getName());
      }
    }
    return stuck;
  }
}
