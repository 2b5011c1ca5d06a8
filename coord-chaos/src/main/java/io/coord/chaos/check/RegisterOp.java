package io.coord.chaos.check;

import io.coord.chaos.history.Operation;

/**
 * A register operation ready for the search: values replaced by small integers (0 is "absent"),
 * times fixed. An operation whose outcome is unknown has {@code ret} {@link Long#MAX_VALUE}
 * unless it was clamped to the first definite observation of the value it wrote.
 *
 * @param kind what the model does with it
 * @param a the value read, written, or expected by a compare-and-set
 * @param b the value a compare-and-set writes
 * @param invoke invocation time
 * @param ret latest time it can have taken effect
 * @param source the recorded operation
 */
record RegisterOp(Kind kind, int a, int b, long invoke, long ret, Operation source) {

  enum Kind {
    /** A read that returned {@code a}. */
    READ,
    /** A write of {@code a}, acknowledged or unknown. */
    WRITE,
    /** An acknowledged compare-and-set from {@code a} to {@code b}. */
    CAS,
    /** A compare-and-set refused because the register did not hold {@code a}. */
    CAS_MISMATCH,
    /** A compare-and-set of unknown outcome: sets {@code b} if the register holds {@code a}. */
    CAS_UNKNOWN,
    /**
     * A write of unknown outcome whose value no operation reads or compares with. All such
     * writes set the same placeholder value {@code a}: nothing can tell them apart, so the search
     * linearizes them in invocation order only.
     */
    WRITE_UNSEEN
  }

  /** True if it may change the register. */
  boolean writes() {
    return kind != Kind.READ && kind != Kind.CAS_MISMATCH;
  }

  /** The value it writes, if {@link #writes()}. */
  int written() {
    return kind == Kind.WRITE || kind == Kind.WRITE_UNSEEN ? a : b;
  }

  /** True if it was acknowledged and saw the register hold {@code a}. */
  boolean observes() {
    return kind == Kind.READ || kind == Kind.CAS;
  }

  /** True if its outcome is unknown. */
  boolean unknown() {
    return source.isInfo();
  }

  RegisterOp withRet(long newRet) {
    return new RegisterOp(kind, a, b, invoke, newRet, source);
  }

  RegisterOp unseen(int placeholder) {
    return new RegisterOp(Kind.WRITE_UNSEEN, placeholder, 0, invoke, Long.MAX_VALUE, source);
  }

  /**
   * The register's state after this operation from {@code state}, or -1 if the operation's
   * recorded outcome is impossible in that state.
   */
  int step(int state) {
    return switch (kind) {
      case READ -> state == a ? state : -1;
      case WRITE, WRITE_UNSEEN -> a;
      case CAS -> state == a ? b : -1;
      case CAS_MISMATCH -> state != a ? state : -1;
      case CAS_UNKNOWN -> state == a ? b : state;
    };
  }
}
