package io.coord.server.storage;

import java.util.Arrays;

/** Order-preserving encodings of numbers and keys for RocksDB's bytewise comparator. */
public final class Bytes {
  private Bytes() {}

  public static byte[] longBytes(long value) {
    byte[] out = new byte[8];
    putLong(out, 0, value);
    return out;
  }

  public static void putLong(byte[] out, int offset, long value) {
    for (int i = 7; i >= 0; i--) {
      out[offset + i] = (byte) value;
      value >>>= 8;
    }
  }

  public static long getLong(byte[] in, int offset) {
    long value = 0;
    for (int i = 0; i < 8; i++) {
      value = (value << 8) | (in[offset + i] & 0xFF);
    }
    return value;
  }

  public static long toLong(byte[] in) {
    return getLong(in, 0);
  }

  public static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The smallest key greater than every key that starts with {@code prefix}, or null. */
  public static byte[] prefixEnd(byte[] prefix) {
    byte[] end = Arrays.copyOf(prefix, prefix.length);
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return Arrays.copyOf(end, i + 1);
      }
    }
    return null;
  }
}
