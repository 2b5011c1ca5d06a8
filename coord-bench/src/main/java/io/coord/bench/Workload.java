package io.coord.bench;

import java.util.Arrays;
import java.util.Locale;

/** The workloads {@code coord bench run} knows, by their command-line names. */
public enum Workload {
  /** A durable write of a fresh, distinct key. */
  PUT("put"),
  /** A linearizable read of one of the preloaded keys. */
  GET("get"),
  /** A serializable (local, possibly stale) read of one of the preloaded keys. */
  SGET("sget"),
  /** A compare-and-put on one key per in-flight slot (compare its version, then write). */
  TXN("txn"),
  /** Lock then unlock, each in-flight slot on its own lock (no contention). */
  LOCK("lock"),
  /** Lock then unlock, every in-flight slot on the same lock. */
  LOCK_CONTENDED("lock-contended"),
  /** Grant a session (lease), keep it alive once, revoke it. */
  SESSION("session"),
  /** Events per second delivered to N watchers of a prefix that a writer keeps changing. */
  WATCH("watch");

  private final String cliName;

  Workload(String cliName) {
    this.cliName = cliName;
  }

  /** The name used on the command line and in result rows. */
  public String cliName() {
    return cliName;
  }

  /** Parses a command-line name. */
  public static Workload parse(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(w -> w.cliName.equals(wanted)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown workload '" + name
            + "'; known: " + Arrays.stream(values()).map(Workload::cliName).toList()));
  }

  @Override
  public String toString() {
    return cliName;
  }
}
