package io.coord.client.kv;

import com.google.protobuf.ByteString;

/**
 * One version of a key.
 *
 * @param key the key
 * @param value the value (empty for keys-only reads)
 * @param createRevision revision of the key's last creation
 * @param modRevision revision of its last modification
 * @param version modifications since the last creation (1 after a create)
 * @param session the session the key is attached to, or 0
 */
public record KeyValue(ByteString key, ByteString value, long createRevision, long modRevision,
    long version, long session) {

  /** Converts the wire form. */
  public static KeyValue of(io.coord.proto.v1.KeyValue kv) {
    return new KeyValue(kv.getKey(), kv.getValue(), kv.getCreateRevision(), kv.getModRevision(),
        kv.getVersion(), kv.getSession());
  }

  /** The key decoded as UTF-8. */
  public String keyString() {
    return key.toStringUtf8();
  }

  /** The value decoded as UTF-8. */
  public String valueString() {
    return value.toStringUtf8();
  }
}
