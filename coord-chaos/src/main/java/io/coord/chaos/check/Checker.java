package io.coord.chaos.check;

import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;

/** Verifies one property of a recorded history. */
public interface Checker {
  /** A short name for reports, e.g. {@code linearizability}. */
  String name();

  /** True if the history holds operations this checker judges. */
  boolean appliesTo(History history);

  /** Checks the history; {@code faults} is empty if the run recorded none. */
  CheckResult check(History history, FaultLog faults);
}
