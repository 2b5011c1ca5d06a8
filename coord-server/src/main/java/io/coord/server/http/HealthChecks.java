package io.coord.server.http;

import io.coord.server.api.ReadPath;
import io.coord.server.raft.RaftNode;
import io.coord.server.raft.RaftStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What {@code /livez}, {@code /readyz} and {@code /health} check, in Kubernetes' and etcd's
 * sense: live = the process and its Raft server run; ready = a leader is known, this member
 * applied nearly all it knows committed, and a linearizable read point can be had quickly.
 */
public final class HealthChecks {
  /** A member applying more entries than this behind its commit index is not ready. */
  public static final long MAX_APPLY_LAG = 1000;

  private final RaftNode raft;
  private final ReadPath reads;
  private final Duration readTimeout;

  /** One check's outcome. */
  public record Check(String name, boolean ok, String detail) {}

  /**
   * @param readTimeout longest wait for a linearizable read point (an election timeout)
   */
  public HealthChecks(RaftNode raft, ReadPath reads, Duration readTimeout) {
    this.raft = raft;
    this.reads = reads;
    this.readTimeout = readTimeout;
  }

  public List<Check> live() {
    return List.of(check("raft", () -> raft.isAlive() ? null : "the Raft server is not running"));
  }

  public List<Check> ready(boolean linearizable) {
    List<Check> checks = new ArrayList<>(live());
    checks.add(check("leader", () -> raft.leaderName() != null ? null : "no leader known"));
    checks.add(check("apply", () -> {
      RaftStatus status = raft.status();
      long lag = status.commitIndex() - status.appliedIndex();
      return lag <= MAX_APPLY_LAG ? null : "applied index " + status.appliedIndex() + " is "
          + lag + " behind the commit index " + status.commitIndex();
    }));
    if (linearizable) {
      checks.add(check("linearizable_read", () -> {
        try {
          reads.linearizablePoint().get(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
          return null;
        } catch (java.util.concurrent.TimeoutException e) {
          return "no read point within " + readTimeout.toMillis() + " ms";
        } catch (java.util.concurrent.ExecutionException e) {
          return e.getCause() == null ? e.toString() : e.getCause().getMessage();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return "interrupted";
        }
      }));
    }
    return checks;
  }

  private static Check check(String name, java.util.function.Supplier<String> problem) {
    try {
      String detail = problem.get();
      return new Check(name, detail == null, detail == null ? "ok" : detail);
    } catch (RuntimeException e) {
      return new Check(name, false, String.valueOf(e.getMessage()));
    }
  }
}
