package io.coord.chaos.nemesis;

/** A fault in force; {@link #heal()} undoes it and logs the heal. */
public interface Fault {
  /** What it is, for progress lines, e.g. {@code pause n2 (the leader)}. */
  String description();

  /** Undoes the fault. Called once. */
  void heal();
}
