package io.coord.chaos.workload;

/**
 * The hook for a lock workload ({@code acquire}, {@code release} and {@code guarded-write}
 * through fencing tokens, judged by the lock-safety checker). Coord's lock API is not in this
 * build yet, so the workload cannot run: the command line refuses {@code --workload lock}
 * with this explanation until it is written against that API.
 */
public final class LockWorkload {
  /** Why the workload is unavailable. */
  public static final String UNAVAILABLE = "the lock workload needs Coord's lock API"
      + " (coord.v1.Lock), which is not in this build; io.coord.chaos.workload.LockWorkload is"
      + " the place to add it";

  private LockWorkload() {
  }
}
