package io.coord.server.lock;

import io.coord.server.kv.SystemKeys;
import java.nio.charset.StandardCharsets;

/**
 * A namespace of the lock machinery: locks and elections share it but never a name. Each space
 * has its prefix byte in the lock column families and its path in the reserved keyspace.
 */
public enum LockSpace {
  LOCK((byte) 'l', "lock/"),
  ELECTION((byte) 'e', "election/");

  private final byte tag;
  private final String path;

  LockSpace(byte tag, String path) {
    this.tag = tag;
    this.path = path;
  }

  byte tag() {
    return tag;
  }

  /** The key of {@code name}'s state in the lock column families. */
  byte[] stateKey(String name) {
    return prefix(name.getBytes(StandardCharsets.UTF_8));
  }

  /** The tag followed by {@code bytes}. */
  byte[] prefix(byte[] bytes) {
    byte[] key = new byte[bytes.length + 1];
    key[0] = tag;
    System.arraycopy(bytes, 0, key, 1, bytes.length);
    return key;
  }

  /** The name in a state key of this space. */
  String name(byte[] stateKey) {
    return new String(stateKey, 1, stateKey.length - 1, StandardCharsets.UTF_8);
  }

  /** The reserved key that holds the projection of {@code name}, e.g. {@code \0\0coord/lock/a}. */
  public byte[] projectionKey(String name) {
    return SystemKeys.key(path + name);
  }
}
