package io.coord.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Operation;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lock safety with fencing tokens, per lock (the key). An {@code acquire} completes ok with its
 * fencing token; {@code release} and {@code guarded-write} carry the token of the hold they act
 * for; a {@code guarded-write} completes ok when the service accepted it and fail when it
 * refused the token. Rules:
 * <ul>
 *   <li>tokens are unique per lock and increase with real time: a grant that began after another
 *       completed has a greater token;
 *   <li>an accepted guarded write does not begin after a grant of a greater token completed
 *       (the older hold was over: two holds overlapped with both writes accepted), nor after the
 *       release of its own token completed, nor complete before its token's acquire began;
 *   <li>the protected resource never accepts, after an accepted write with token t completed, a
 *       write with a token below t;
 *   <li>an accepted write's token was granted by some acquire (checked only when no acquire of
 *       the lock has an unknown outcome, since that one's token is unknown).
 * </ul>
 */
public final class LockChecker implements Checker {
  public static final String NAME = "lock-safety";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(History history) {
    return history.fs().contains(F.ACQUIRE) || history.fs().contains(F.GUARDED_WRITE);
  }

  @Override
  public CheckResult check(History history, FaultLog faults) {
    Map<String, List<Operation>> byLock =
        history.byKey(List.of(F.ACQUIRE, F.RELEASE, F.GUARDED_WRITE));
    List<Anomaly> anomalies = new ArrayList<>();
    int grants = 0;
    int accepted = 0;
    for (Map.Entry<String, List<Operation>> lock : byLock.entrySet()) {
      LockOps ops = new LockOps(lock.getKey(), lock.getValue(), history.origin(), anomalies);
      grants += ops.grants.size();
      accepted += ops.writes.size();
      ops.check();
    }
    return CheckResult.of(NAME, byLock.size() + " locks, " + grants + " grants, " + accepted
        + " accepted guarded writes", anomalies);
  }

  /** The operations of one lock. */
  private static final class LockOps {
    private final String lock;
    private final long origin;
    private final List<Anomaly> anomalies;
    private final List<Operation> grants = new ArrayList<>();
    private final List<Operation> writes = new ArrayList<>();
    private final Map<Long, Operation> releases = new HashMap<>();
    private final Map<Long, Operation> grantOf = new HashMap<>();
    private boolean unknownGrant;

    LockOps(String lock, List<Operation> ops, long origin, List<Anomaly> anomalies) {
      this.lock = lock;
      this.origin = origin;
      this.anomalies = anomalies;
      for (Operation op : ops) {
        switch (op.f()) {
          case F.ACQUIRE -> {
            if (op.isOk()) {
              grants.add(op);
            } else if (op.isInfo()) {
              unknownGrant = true;
            }
          }
          case F.RELEASE -> {
            if (op.isOk()) {
              releases.put(token(op.input(), op), op);
            }
          }
          default -> {
            if (op.isOk()) {
              writes.add(op);
            }
          }
        }
      }
    }

    private long token(JsonNode value, Operation op) {
      if (!value.canConvertToLong() || !value.isIntegralNumber()) {
        throw new IllegalArgumentException("lock " + lock + ": " + op.f() + " by p"
            + op.process() + " must carry an integer fencing token, got " + value);
      }
      return value.asLong();
    }

    private long grantedToken(Operation acquire) {
      return token(acquire.output(), acquire);
    }

    private long writeToken(Operation write) {
      return token(write.input(), write);
    }

    void check() {
      checkTokensIncrease();
      checkWritesWithinHolds();
      checkResourceOrder();
    }

    private void checkTokensIncrease() {
      for (Operation grant : grants) {
        Operation same = grantOf.putIfAbsent(grantedToken(grant), grant);
        if (same != null) {
          add("duplicate-token", "token " + grantedToken(grant) + " granted twice: "
              + same.describe(origin) + " and " + grant.describe(origin));
        }
      }
      sweep(grants, this::grantedToken, (earlier, later) -> add("token-not-increasing",
          later.describe(origin) + " got token " + grantedToken(later) + " though "
          + earlier.describe(origin) + " had completed with token " + grantedToken(earlier)
          + " before it began"));
    }

    private void checkWritesWithinHolds() {
      List<Operation> byTokenDescending = grants.stream()
          .sorted(Comparator.comparingLong(this::grantedToken).reversed()).toList();
      for (Operation write : writes) {
        long token = writeToken(write);
        Operation grant = grantOf.get(token);
        if (grant == null) {
          if (!unknownGrant) {
            add("unknown-token", write.describe(origin) + " was accepted with token " + token
                + ", which no acquire returned");
          }
        } else if (write.completeTime() < grant.invokeTime()) {
          add("write-before-grant", write.describe(origin) + " was accepted before "
              + grant.describe(origin) + " that granted its token began");
        }
        Operation release = releases.get(token);
        if (release != null && release.completeTime() < write.invokeTime()) {
          add("write-after-release", write.describe(origin) + " was accepted after "
              + release.describe(origin) + " had released token " + token);
        }
        for (Operation newer : byTokenDescending) {
          if (grantedToken(newer) <= token) {
            break;
          }
          if (newer.completeTime() < write.invokeTime()) {
            add("overlapping-holds", write.describe(origin) + " was accepted with token "
                + token + " after " + newer.describe(origin) + " had granted the lock with token "
                + grantedToken(newer) + ": two holds overlapped and both wrote");
            break;
          }
        }
      }
    }

    private void checkResourceOrder() {
      sweep(writes, this::writeToken, (earlier, later) -> add("stale-token-accepted",
          later.describe(origin) + " with token " + writeToken(later) + " was accepted after "
          + earlier.describe(origin) + " with the greater token " + writeToken(earlier)
          + " had been accepted"));
    }

    private interface Token {
      long of(Operation op);
    }

    private interface Violation {
      void report(Operation earlier, Operation later);
    }

    /**
     * For each operation, compares its token with the greatest token among operations that
     * completed before it began: a violation if smaller. (Equal tokens are reported as
     * duplicates.)
     */
    private void sweep(List<Operation> ops, Token token, Violation violation) {
      List<Operation> byCompletion = ops.stream()
          .sorted(Comparator.comparingLong(Operation::completeTime)).toList();
      List<Operation> byInvocation = ops.stream()
          .sorted(Comparator.comparingLong(Operation::invokeTime)).toList();
      Operation greatest = null;
      int completed = 0;
      for (Operation op : byInvocation) {
        while (completed < byCompletion.size()
            && byCompletion.get(completed).completeTime() < op.invokeTime()) {
          Operation done = byCompletion.get(completed++);
          if (greatest == null || token.of(done) > token.of(greatest)) {
            greatest = done;
          }
        }
        if (greatest != null && token.of(op) < token.of(greatest)) {
          violation.report(greatest, op);
        }
      }
    }

    private void add(String kind, String explanation) {
      anomalies.add(new Anomaly(kind, "lock " + lock + ": " + explanation));
    }
  }
}
