package io.coord.bench.driver;

import io.coord.bench.Workload;

/** A workload the system (or this build of it) cannot run. */
public final class UnsupportedWorkloadException extends UnsupportedOperationException {
  public UnsupportedWorkloadException(String system, Workload workload) {
    super(workload + " is not supported by this build of " + system);
  }
}
