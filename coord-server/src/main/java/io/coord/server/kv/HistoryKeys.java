package io.coord.server.kv;

import io.coord.server.storage.Bytes;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * Keys of the history column family: the raw key escaped (0x00 becomes 0x00 0xFF), a 0x00
 * terminator, then the revision as 8 big-endian bytes. This keeps every version of a key
 * together, ordered by revision, and keeps raw-key order between keys.
 */
final class HistoryKeys {
  private static final byte ZERO = 0;
  private static final byte ESCAPE = (byte) 0xFF;

  private HistoryKeys() {}

  static byte[] of(byte[] key, long revision) {
    byte[] prefix = prefix(key);
    byte[] out = Arrays.copyOf(prefix, prefix.length + 8);
    Bytes.putLong(out, prefix.length, revision);
    return out;
  }

  /** Every version of {@code key} (and only those) starts with this prefix. */
  static byte[] prefix(byte[] key) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(key.length + 2);
    for (byte b : key) {
      out.write(b);
      if (b == ZERO) {
        out.write(ESCAPE);
      }
    }
    out.write(ZERO);
    return out.toByteArray();
  }

  /** Bound of the history key space that corresponds to raw-key bound {@code key}. */
  static byte[] bound(byte[] key) {
    return key == null ? null : prefix(key);
  }

  static long revision(byte[] historyKey) {
    return Bytes.getLong(historyKey, historyKey.length - 8);
  }

  /** The raw key of a history key. */
  static byte[] rawKey(byte[] historyKey) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(historyKey.length);
    int end = historyKey.length - 9;
    for (int i = 0; i < end; i++) {
      out.write(historyKey[i]);
      if (historyKey[i] == ZERO) {
        i++;
      }
    }
    return out.toByteArray();
  }

  /** True if both history keys belong to the same raw key. */
  static boolean sameKey(byte[] a, byte[] b) {
    return a.length == b.length
        && Arrays.equals(a, 0, a.length - 8, b, 0, b.length - 8);
  }
}
