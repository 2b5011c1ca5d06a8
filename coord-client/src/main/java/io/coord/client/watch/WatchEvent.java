package io.coord.client.watch;

import io.coord.client.kv.KeyValue;
import io.coord.proto.v1.Event;

/**
 * One change to one key.
 *
 * @param type put or delete
 * @param kv the key after the change; for a delete only the key and {@code modRevision} (the
 *     deleting revision) are set
 * @param prevKv the version before the change, if the watch asked for it and the key existed;
 *     otherwise null
 */
public record WatchEvent(Type type, KeyValue kv, KeyValue prevKv) {
  /** What happened to the key. */
  public enum Type { PUT, DELETE }

  /** The revision of the change. */
  public long revision() {
    return kv.modRevision();
  }

  /** True for a put that created the key (its first version since it last did not exist). */
  public boolean isCreate() {
    return type == Type.PUT && kv.version() == 1;
  }

  /** Converts the wire form. */
  public static WatchEvent of(Event event) {
    return new WatchEvent(event.getType() == Event.EventType.DELETE ? Type.DELETE : Type.PUT,
        KeyValue.of(event.getKv()), event.hasPrevKv() ? KeyValue.of(event.getPrevKv()) : null);
  }
}
