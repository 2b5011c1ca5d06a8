package io.coord.server.logging;

import java.util.function.LongSupplier;

/**
 * The member name and Raft term that every log line of a standalone server carries. Read by the
 * log encoders when a line is written (a thread-local MDC would miss Ratis's and gRPC's
 * threads). One member per process: an embedded cluster in one JVM shows the last one started.
 */
public final class LogFields {
  private static volatile String member = "-";
  private static volatile String memberId = "";
  private static volatile LongSupplier term = () -> 0;

  private LogFields() {}

  /** Installed by the member once its Raft server runs. */
  public static void install(String memberName, LongSupplier currentTerm) {
    member = memberName;
    term = currentTerm;
  }

  /** Installed with the member's numeric id (as 16 hex digits, like the CLI prints it). */
  public static void install(String memberName, long id, LongSupplier currentTerm) {
    memberId = String.format("%016x", id);
    install(memberName, currentTerm);
  }

  /** The member id as 16 hex digits, or empty before the member started. */
  public static String memberId() {
    return memberId;
  }

  public static String member() {
    return member;
  }

  /** The current term, or 0 if unknown. */
  public static long term() {
    try {
      return term.getAsLong();
    } catch (RuntimeException notRunning) {
      return 0;
    }
  }
}
