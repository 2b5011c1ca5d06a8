package io.coord.chaos.check;

/** The outcome of a check. */
public enum Verdict {
  /** The history satisfies the property. */
  PASS,
  /** The history violates the property; the anomalies say how. */
  FAIL,
  /** The checker could not decide (search budget exhausted, missing data); never a pass. */
  UNKNOWN;

  /** The worse of two verdicts: FAIL over UNKNOWN over PASS. */
  public Verdict and(Verdict other) {
    if (this == FAIL || other == FAIL) {
      return FAIL;
    }
    if (this == UNKNOWN || other == UNKNOWN) {
      return UNKNOWN;
    }
    return PASS;
  }
}
