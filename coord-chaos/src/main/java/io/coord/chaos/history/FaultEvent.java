package io.coord.chaos.history;

import java.util.Objects;

/**
 * One line of {@code faults.jsonl}: a fault injected or healed by the nemesis.
 *
 * @param time monotonic nanoseconds on the history's clock
 * @param fault the kind of fault, e.g. {@code kill}, {@code pause}, {@code partition}
 * @param target what it hit, e.g. {@code n2} or {@code n1,n2|n3}
 * @param phase {@link Phase#START} when injected, {@link Phase#HEAL} when undone
 * @param leader true if the fault removed the leader or left the cluster without a quorum; the
 *     availability figure and the session expiry bounds treat it as a leader loss
 */
public record FaultEvent(long time, String fault, String target, Phase phase, boolean leader) {

  public FaultEvent {
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(phase, "phase");
  }

  /** Whether the fault begins or ends. */
  public enum Phase {
    START, HEAL;

    /** {@code start} or {@code heal}. */
    public String jsonName() {
      return this == START ? "start" : "heal";
    }

    static Phase fromJson(String name) {
      return switch (name) {
        case "start" -> START;
        case "heal" -> HEAL;
        default -> throw new IllegalArgumentException("unknown phase \"" + name
            + "\" (expected start or heal)");
      };
    }
  }
}
