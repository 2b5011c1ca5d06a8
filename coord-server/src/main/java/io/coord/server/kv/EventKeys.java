package io.coord.server.kv;

import io.coord.server.storage.Bytes;

/** Keys of the events column family: revision (8 bytes) then sub-index (4 bytes). */
final class EventKeys {
  private EventKeys() {}

  static byte[] of(long revision, int sub) {
    byte[] out = new byte[12];
    Bytes.putLong(out, 0, revision);
    out[8] = (byte) (sub >>> 24);
    out[9] = (byte) (sub >>> 16);
    out[10] = (byte) (sub >>> 8);
    out[11] = (byte) sub;
    return out;
  }

  /** First event key of {@code revision}. */
  static byte[] start(long revision) {
    return Bytes.longBytes(revision);
  }

  static long revision(byte[] eventKey) {
    return Bytes.getLong(eventKey, 0);
  }
}
