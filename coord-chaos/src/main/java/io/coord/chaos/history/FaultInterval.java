package io.coord.chaos.history;

/**
 * A fault from its start to its heal.
 *
 * @param fault the kind of fault
 * @param target what it hit
 * @param start when it was injected
 * @param heal when it was healed, {@link Long#MAX_VALUE} if never
 * @param leader whether it was a leader loss (see {@link FaultEvent#leader()})
 */
public record FaultInterval(String fault, String target, long start, long heal,
    boolean leader) {

  /** True if the fault was healed before the end of the run. */
  public boolean healed() {
    return heal != Long.MAX_VALUE;
  }
}
