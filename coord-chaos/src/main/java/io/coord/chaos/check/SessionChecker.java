package io.coord.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultInterval;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Operation;
import io.coord.chaos.history.Times;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Session expiry bounds, per session (the key of {@code grant}, {@code keepalive},
 * {@code session-status} and {@code revoke}). The TTL is the {@code grant}'s value in
 * milliseconds (the completion's if it carries one). Evidence: an acknowledged {@code grant} or
 * {@code keepalive}, or a {@code session-status} returning {@code "alive"}, shows the session
 * alive; a {@code session-status} returning {@code "expired"} or a {@code keepalive} failed with
 * error {@code "expired"} shows it gone. Rules:
 * <ul>
 *   <li>not too early: a session is never seen gone before {@code K + TTL - slack}, where K is
 *       the invocation of the latest acknowledged grant or keep-alive invoked before the
 *       observation completed (unless a {@code revoke} had been invoked);
 *   <li>never back: once seen gone (or revoked), never seen alive by an operation that began
 *       later;
 *   <li>not too late: never seen alive by a probe that began after
 *       {@code T + TTL + election timeout + slack}, where T is the completion of the last grant or
 *       keep-alive that did not fail (an unknown one counts as processed by its recorded
 *       completion, the client's deadline). A leader loss (faults.jsonl) that starts before
 *       that bound moves it to {@code heal + election timeout + TTL + slack}: the new leader
 *       restarts every session's TTL. A restart's heal is logged once the restarted members
 *       serve (with a majority killed, nobody leads before that). Not checked if such a fault
 *       never healed or an unknown keep-alive never completed.
 * </ul>
 */
public final class SessionChecker implements Checker {
  public static final String NAME = "session-expiry";
  /**
   * The error of a keep-alive refused because the session is gone, and the
   * {@code session-status} result of a gone session.
   */
  public static final String EXPIRED = "expired";
  /** The {@code session-status} result of a live session. */
  public static final String ALIVE = "alive";

  private final long electionTimeout;
  private final long slack;

  /**
   * @param electionTimeout the cluster's maximum election timeout
   * @param slack allowance for clock granularity and scheduling on both sides
   */
  public SessionChecker(Duration electionTimeout, Duration slack) {
    this.electionTimeout = electionTimeout.toNanos();
    this.slack = slack.toNanos();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(History history) {
    return history.fs().contains(F.GRANT);
  }

  @Override
  public CheckResult check(History history, FaultLog faults) {
    Map<String, List<Operation>> bySession =
        history.byKey(List.of(F.GRANT, F.KEEPALIVE, F.SESSION_STATUS, F.REVOKE));
    List<Anomaly> anomalies = new ArrayList<>();
    int checked = 0;
    int upperChecked = 0;
    for (Map.Entry<String, List<Operation>> session : bySession.entrySet()) {
      Session s = Session.of(session.getKey(), session.getValue());
      if (s == null) {
        continue;
      }
      checked++;
      checkNotTooEarly(s, history.origin(), anomalies);
      checkNeverBack(s, history.origin(), anomalies);
      UpperBound bound = upperBound(s, faults);
      if (bound != null) {
        upperChecked++;
        checkNotTooLate(s, bound, history.origin(), anomalies);
      }
    }
    return CheckResult.of(NAME, checked + " sessions, " + upperChecked
        + " with a checkable upper bound (election timeout " + Times.duration(electionTimeout)
        + ", slack " + Times.duration(slack) + ")", anomalies);
  }

  private void checkNotTooEarly(Session s, long origin, List<Anomaly> anomalies) {
    for (Operation gone : s.goneEvidence) {
      if (s.revokedBy(gone.completeTime())) {
        continue;
      }
      Operation extension = null;
      for (Operation e : s.extensions) {
        if (e.invokeTime() <= gone.completeTime()
            && (extension == null || e.invokeTime() > extension.invokeTime())) {
          extension = e;
        }
      }
      if (extension == null) {
        continue;
      }
      long earliest = extension.invokeTime() + s.ttl - slack;
      if (gone.completeTime() < earliest) {
        anomalies.add(new Anomaly("expired-too-early", "session " + s.name + " (TTL "
            + Times.duration(s.ttl) + ") seen gone by " + gone.describe(origin)
            + ", but " + extension.describe(origin) + " was acknowledged, so it should live"
            + " until at least " + Times.relative(earliest, origin)));
      }
    }
  }

  private void checkNeverBack(Session s, long origin, List<Anomaly> anomalies) {
    List<Operation> ends = new ArrayList<>(s.goneEvidence);
    s.revokes.stream().filter(Operation::isOk).forEach(ends::add);
    for (Operation alive : s.aliveEvidence) {
      for (Operation end : ends) {
        if (end.precedes(alive)) {
          anomalies.add(new Anomaly("session-resurrected", "session " + s.name + " seen alive by "
              + alive.describe(origin) + " after " + end.describe(origin)));
          break;
        }
      }
    }
  }

  /**
   * When the session must be gone by.
   *
   * @param lastAttempt completion of the last keep-alive (or grant) that did not fail
   * @param time the bound
   * @param leaderLoss the leader loss that moved the bound, or null
   */
  private record UpperBound(long lastAttempt, long time, FaultInterval leaderLoss) {
  }

  /** The bound, or null if it cannot be known. */
  private UpperBound upperBound(Session s, FaultLog faults) {
    if (!s.revokes.isEmpty()) {
      return null;
    }
    long last = 0;
    for (Operation attempt : s.attempts) {
      if (attempt.completeTime() == Long.MAX_VALUE) {
        return null;
      }
      last = Math.max(last, attempt.completeTime());
    }
    long bound = last + s.ttl + electionTimeout + slack;
    FaultInterval moved = null;
    for (FaultInterval loss : faults.leaderLosses()) {
      if (loss.start() <= bound) {
        if (!loss.healed()) {
          return null;
        }
        long restarted = loss.heal() + electionTimeout + s.ttl + slack;
        if (restarted > bound) {
          bound = restarted;
          moved = loss;
        }
      }
    }
    return new UpperBound(last, bound, moved);
  }

  private void checkNotTooLate(Session s, UpperBound bound, long origin,
      List<Anomaly> anomalies) {
    for (Operation probe : s.aliveEvidence) {
      if (probe.f().equals(F.SESSION_STATUS) && probe.invokeTime() > bound.time()) {
        String why = bound.leaderLoss() == null ? ""
            : " (moved by the " + bound.leaderLoss().fault() + " of "
                + bound.leaderLoss().target() + " healed at "
                + Times.relative(bound.leaderLoss().heal(), origin) + ")";
        anomalies.add(new Anomaly("expired-too-late", "session " + s.name + " (TTL "
            + Times.duration(s.ttl) + ") still alive for " + probe.describe(origin)
            + "; its last keep-alive ended at " + Times.relative(bound.lastAttempt(), origin)
            + ", so it should have expired by " + Times.relative(bound.time(), origin) + why));
      }
    }
  }

  /** The evidence about one session. */
  private static final class Session {
    final String name;
    final long ttl;
    final List<Operation> extensions = new ArrayList<>();
    final List<Operation> attempts = new ArrayList<>();
    final List<Operation> aliveEvidence = new ArrayList<>();
    final List<Operation> goneEvidence = new ArrayList<>();
    final List<Operation> revokes = new ArrayList<>();

    private Session(String name, long ttl) {
      this.name = name;
      this.ttl = ttl;
    }

    /** The session's evidence, or null if it was never granted. */
    static Session of(String name, List<Operation> ops) {
      Operation grant = ops.stream().filter(op -> op.f().equals(F.GRANT) && !op.isFail())
          .findFirst().orElse(null);
      if (grant == null) {
        return null;
      }
      JsonNode ttlMs = grant.isOk() && grant.output().isNumber() ? grant.output() : grant.input();
      if (!ttlMs.isNumber()) {
        throw new IllegalArgumentException("session " + name
            + ": grant must carry the TTL in milliseconds, got " + ttlMs);
      }
      Session s = new Session(name, Duration.ofMillis(ttlMs.asLong()).toNanos());
      for (Operation op : ops) {
        switch (op.f()) {
          case F.GRANT, F.KEEPALIVE -> {
            if (!op.isFail()) {
              s.attempts.add(op);
            }
            if (op.isOk()) {
              s.extensions.add(op);
              s.aliveEvidence.add(op);
            } else if (op.isFail() && EXPIRED.equals(op.error())) {
              s.goneEvidence.add(op);
            }
          }
          case F.SESSION_STATUS -> {
            if (op.isOk()) {
              s.status(name, op).add(op);
            }
          }
          default -> {
            if (!op.isFail()) {
              s.revokes.add(op);
            }
          }
        }
      }
      return s;
    }

    private List<Operation> status(String name, Operation probe) {
      return switch (probe.output().asText()) {
        case ALIVE -> aliveEvidence;
        case EXPIRED -> goneEvidence;
        default -> throw new IllegalArgumentException("session " + name + ": session-status"
            + " must return \"alive\" or \"expired\", got " + probe.output());
      };
    }

    /** True if a revoke had been invoked by {@code time}. */
    boolean revokedBy(long time) {
      return revokes.stream().anyMatch(r -> r.invokeTime() <= time);
    }
  }
}
