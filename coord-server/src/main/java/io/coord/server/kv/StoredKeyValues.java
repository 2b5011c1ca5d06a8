package io.coord.server.kv;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.proto.v1.KeyValue;
import io.coord.server.storage.StorageException;

/** Encoding of key-values in the store: the protobuf {@link KeyValue} without its key. */
final class StoredKeyValues {
  private StoredKeyValues() {}

  static byte[] encode(KeyValue kv) {
    return kv.toBuilder().clearKey().build().toByteArray();
  }

  static KeyValue decode(byte[] key, byte[] stored) {
    try {
      return KeyValue.parseFrom(stored).toBuilder().setKey(ByteString.copyFrom(key)).build();
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("corrupt key-value record", e);
    }
  }

  /** True if a history record marks a deletion. */
  static boolean isTombstone(byte[] stored) {
    return stored.length == 0;
  }
}
