package io.coord.server.lock;

import com.google.protobuf.ByteString;
import io.coord.server.command.LockState;

/**
 * What the state of a lock or election shows in its reserved key, which clients watch. The
 * key is written in the revision of each change that alters this value, and deleted when the
 * value is null.
 */
@FunctionalInterface
public interface Projection {
  /** The key's value for {@code state}, or null if the key should not exist. */
  ByteString value(String name, LockState state);
}
