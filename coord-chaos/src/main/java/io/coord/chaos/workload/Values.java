package io.coord.chaos.workload;

import com.google.protobuf.ByteString;

/** Conversions between stored values and history values. */
final class Values {
  private Values() {
  }

  /** A stored value as the history writes it: a number if it is one, else the text. */
  static Object of(ByteString value) {
    String text = value.toStringUtf8();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return text;
    }
  }
}
