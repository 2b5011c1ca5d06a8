package io.coord.client.kv;

import com.google.protobuf.ByteString;

/** How a key becomes a range: the single key, a prefix, everything from it, or explicit. */
final class RangeSpec {
  static final RangeSpec SINGLE = new RangeSpec(Kind.SINGLE, ByteString.EMPTY);
  static final RangeSpec PREFIX = new RangeSpec(Kind.PREFIX, ByteString.EMPTY);
  static final RangeSpec FROM_KEY = new RangeSpec(Kind.FROM_KEY, ByteString.EMPTY);

  private enum Kind { SINGLE, PREFIX, FROM_KEY, EXPLICIT }

  private final Kind kind;
  private final ByteString end;

  private RangeSpec(Kind kind, ByteString end) {
    this.kind = kind;
    this.end = end;
  }

  static RangeSpec explicit(ByteString end) {
    return new RangeSpec(Kind.EXPLICIT, end);
  }

  ByteString rangeEnd(ByteString key) {
    return switch (kind) {
      case SINGLE -> ByteString.EMPTY;
      case PREFIX -> prefixEnd(key);
      case FROM_KEY -> ByteString.copyFrom(new byte[] {0});
      case EXPLICIT -> end;
    };
  }

  /** The end of the range of keys starting with {@code prefix}, per etcd's rule. */
  static ByteString prefixEnd(ByteString prefix) {
    byte[] end = prefix.toByteArray();
    for (int i = end.length - 1; i >= 0; i--) {
      if (end[i] != (byte) 0xFF) {
        end[i]++;
        return ByteString.copyFrom(end, 0, i + 1);
      }
    }
    // Every byte is 0xFF (or the prefix is empty): the range is every key from the prefix on.
    return ByteString.copyFrom(new byte[] {0});
  }
}
