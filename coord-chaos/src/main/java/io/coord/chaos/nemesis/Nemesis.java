package io.coord.chaos.nemesis;

/**
 * One kind of fault (crash, pause, partition, clock skew). Each injection picks one of its
 * variants, logs the start to {@code faults.jsonl} and returns the fault, whose heal is logged
 * too.
 */
public interface Nemesis {
  /** The kind's name as the command line gives it: {@code kill}, {@code pause}, ... */
  String name();

  /** Injects one fault now. */
  Fault inject(FaultContext context);
}
