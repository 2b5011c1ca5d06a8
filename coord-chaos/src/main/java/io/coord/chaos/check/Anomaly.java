package io.coord.chaos.check;

import java.util.Objects;

/**
 * One violation found by a checker.
 *
 * @param kind a short stable name, e.g. {@code stale-read} or {@code lost-write}
 * @param explanation what happened, naming the operations and times involved; may span lines
 */
public record Anomaly(String kind, String explanation) {
  public Anomaly {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(explanation, "explanation");
  }

  @Override
  public String toString() {
    return kind + ": " + explanation;
  }
}
