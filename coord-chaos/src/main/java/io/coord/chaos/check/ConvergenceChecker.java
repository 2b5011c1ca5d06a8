package io.coord.chaos.check;

import io.coord.chaos.history.F;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import io.coord.chaos.history.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Replica convergence after healing: the last acknowledged {@code member-state} of every member
 * (the key), {@code {"applied_index": N, "hash": H}}, shows the same applied index and the
 * same state hash. Members at one index with different hashes have diverged; members at different
 * indexes have not caught up. Fewer than two members reporting is unknown.
 */
public final class ConvergenceChecker implements Checker {
  public static final String NAME = "convergence";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean appliesTo(History history) {
    return history.fs().contains(F.MEMBER_STATE);
  }

  /** A member's reported state. */
  private record MemberState(String member, long appliedIndex, String hash) {
    @Override
    public String toString() {
      return member + " (applied " + appliedIndex + ", hash " + hash + ")";
    }
  }

  @Override
  public CheckResult check(History history, FaultLog faults) {
    Map<String, MemberState> last = new TreeMap<>();
    for (Operation op : history.operations(F.MEMBER_STATE)) {
      if (!op.isOk()) {
        continue;
      }
      if (!op.output().path("applied_index").isIntegralNumber()
          || !op.output().path("hash").isTextual()) {
        throw new IllegalArgumentException("member-state of " + op.key()
            + " must be {\"applied_index\": N, \"hash\": H}, got " + op.output());
      }
      last.put(op.key(), new MemberState(op.key(), op.output().get("applied_index").asLong(),
          op.output().get("hash").asText()));
    }
    List<MemberState> members = List.copyOf(last.values());
    String summary = members.size() + " members: " + members;
    if (members.size() < 2) {
      return new CheckResult(NAME, Verdict.UNKNOWN, summary + "; fewer than two members reported",
          List.of());
    }
    List<Anomaly> anomalies = new ArrayList<>();
    Map<Long, List<MemberState>> byIndex = new TreeMap<>();
    members.forEach(m -> byIndex.computeIfAbsent(m.appliedIndex(), i -> new ArrayList<>()).add(m));
    if (byIndex.size() > 1) {
      anomalies.add(new Anomaly("not-caught-up", "members applied different indexes after"
          + " healing: " + members));
    }
    for (List<MemberState> sameIndex : byIndex.values()) {
      if (sameIndex.stream().map(MemberState::hash).distinct().count() > 1) {
        anomalies.add(new Anomaly("diverged", "members hold different states at applied index "
            + sameIndex.get(0).appliedIndex() + ": " + sameIndex));
      }
    }
    return CheckResult.of(NAME, summary, anomalies);
  }
}
