package io.coord.server.kv;

import io.coord.proto.v1.KeyValue;

/**
 * One change to one key at one revision, as watchers see it.
 *
 * @param type put or delete
 * @param kv the key after the change; for a delete, the key with {@code mod_revision} set to
 *     the deleting revision and no value
 * @param prevKv the key before the change, or null if it did not exist
 */
public record KvEvent(Type type, KeyValue kv, KeyValue prevKv) {
  public enum Type { PUT, DELETE }

  public long revision() {
    return kv.getModRevision();
  }
}
