package io.coord.chaos.history;

import java.util.Set;

/**
 * The operation names ({@code f}) the checkers understand. {@code docs/robustness.md} gives the
 * fields of each; unknown names are carried through and ignored by every checker.
 */
public final class F {
  /** Register or collection read; the completion carries the value read. */
  public static final String READ = "read";
  /** Register write of a value unique per key. */
  public static final String WRITE = "write";
  /** Register compare-and-set; the value is {@code [expected, new]}. */
  public static final String CAS = "cas";
  /** Deletes a key (watch workloads); the completion may carry the revision. */
  public static final String DELETE = "delete";
  /** A read taken after every fault healed; the lost-write checker compares it with the writes. */
  public static final String FINAL_READ = "final-read";

  /** Adds a unique element to a set (or appends it to a list) stored under the key. */
  public static final String ADD = "add";
  /** Increments a counter under a request id unique in the history. */
  public static final String INCR = "incr";

  /** Acquires the lock named by the key; the completion carries the fencing token. */
  public static final String ACQUIRE = "acquire";
  /** Releases the lock hold identified by its fencing token. */
  public static final String RELEASE = "release";
  /** A write to the resource the lock protects, carrying the writer's fencing token. */
  public static final String GUARDED_WRITE = "guarded-write";

  /** Creates a session with a TTL in milliseconds. */
  public static final String GRANT = "grant";
  /** One keep-alive of a session. */
  public static final String KEEPALIVE = "keepalive";
  /** A linearizable probe of whether a session exists: {@code "alive"} or {@code "expired"}. */
  public static final String SESSION_STATUS = "session-status";
  /** Ends a session on purpose. */
  public static final String REVOKE = "revoke";

  /** One watch stream; the completion carries every response received. */
  public static final String WATCH = "watch";
  /** The committed revision history read after healing, the ground truth for watches. */
  public static final String FINAL_REVISIONS = "final-revisions";

  /** A member's state hash and applied index taken after healing. */
  public static final String MEMBER_STATE = "member-state";

  /** Operations that change state when acknowledged; the availability figure counts them. */
  public static final Set<String> WRITES =
      Set.of(WRITE, CAS, DELETE, ADD, INCR, GUARDED_WRITE);

  private F() {
  }
}
