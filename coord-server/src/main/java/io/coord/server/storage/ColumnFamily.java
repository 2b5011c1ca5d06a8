package io.coord.server.storage;

import java.nio.charset.StandardCharsets;

/**
 * Every column family of the state store, declared once. Adding a feature that keeps state
 * means adding a constant here; the backend opens and checkpoints all of them.
 */
public enum ColumnFamily {
  /** Store-wide values: applied index, revision, compact revision, leader time. */
  META("meta"),
  /** Current version of every live key: raw key to {@code KeyValue} without the key. */
  KV("kv"),
  /** Every retained version: escaped key, 0x00, revision to {@code KeyValue} or empty (delete). */
  KV_HISTORY("kv_history"),
  /** What changed at each revision: revision and sub-index to the raw key. */
  EVENTS("events"),
  /** Results of identified writes: client id and sequence to {@code CommandResult}. */
  DEDUPE("dedupe"),
  /** Per-client bookkeeping of the dedupe table: client id to {@code ClientRecord}. */
  CLIENTS("clients"),
  /** Published member addresses: member name to {@code PublishMember}. */
  MEMBERS("members"),
  /** Live sessions: session id (8 bytes) to {@code SessionRecord}. */
  SESSIONS("sessions"),
  /** Keys attached to sessions: session id (8 bytes) then raw key, to an empty value. */
  SESSION_KEYS("session_keys"),
  /** The most recent session ends, bounded: end sequence (8 bytes) to {@code EndedSession}. */
  SESSIONS_ENDED("sessions_ended"),
  /**
   * Locks and elections someone holds or waits for: namespace byte, then the name, to
   * {@code LockState}.
   */
  LOCKS("locks"),
  /**
   * Grants and waits by session: session id (8 bytes), namespace byte, waiter id (8 bytes) to
   * the name.
   */
  LOCK_OWNERS("lock_owners"),
  /** The last break of each broken lock: namespace byte, then the name, to {@code LockBreak}. */
  LOCK_BREAKS("lock_breaks");

  private final String cfName;

  ColumnFamily(String cfName) {
    this.cfName = cfName;
  }

  public String cfName() {
    return cfName;
  }

  byte[] nameBytes() {
    return cfName.getBytes(StandardCharsets.UTF_8);
  }
}
