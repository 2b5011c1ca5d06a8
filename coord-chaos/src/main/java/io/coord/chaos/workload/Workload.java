package io.coord.chaos.workload;

/**
 * Client traffic of one kind. {@link #start} launches its workers; {@link #stop} ends them;
 * {@link #finish}, called after every fault healed, takes the final reads the checkers need.
 */
public interface Workload {
  /** The name the command line gives it: {@code register}, {@code set}, ... */
  String name();

  void start(WorkloadContext context);

  /** Asks every worker to stop and waits for them (bounded). */
  void stop();

  /** Records the final reads. */
  void finish(WorkloadContext context);
}
