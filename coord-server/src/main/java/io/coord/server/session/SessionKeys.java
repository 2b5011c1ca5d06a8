package io.coord.server.session;

import io.coord.server.storage.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Keys of the session column families and counters. */
final class SessionKeys {
  /** META: the id the next grant gets. */
  static final byte[] NEXT_ID = "session/next_id".getBytes(StandardCharsets.UTF_8);
  /** META: the sequence number the next recorded end gets. */
  static final byte[] NEXT_END = "session/next_end".getBytes(StandardCharsets.UTF_8);
  /** META: number of recorded ends kept. */
  static final byte[] ENDS_KEPT = "session/ends_kept".getBytes(StandardCharsets.UTF_8);

  private SessionKeys() {}

  static byte[] id(long sessionId) {
    return Bytes.longBytes(sessionId);
  }

  /** SESSION_KEYS entry of {@code key} attached to {@code sessionId}. */
  static byte[] attached(long sessionId, byte[] key) {
    return Bytes.concat(Bytes.longBytes(sessionId), key);
  }

  /** First SESSION_KEYS entry of {@code sessionId}. */
  static byte[] attachedStart(long sessionId) {
    return Bytes.longBytes(sessionId);
  }

  /** Bound after the last SESSION_KEYS entry of {@code sessionId} (ids are positive). */
  static byte[] attachedEnd(long sessionId) {
    return Bytes.longBytes(sessionId + 1);
  }

  /** The raw key of a SESSION_KEYS entry. */
  static byte[] attachedKey(byte[] entry) {
    return Arrays.copyOfRange(entry, 8, entry.length);
  }
}
