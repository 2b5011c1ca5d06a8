package io.coord.server.kv;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reserved keyspace: keys starting with two zero bytes hold Coord's own records (locks,
 * elections, service instances), so they get revisions, history, watches and snapshots like any
 * key. Clients can never write them. A read or watch whose range starts inside the reserved
 * space sees them (for inspection); any other range skips them, so "every key" means every
 * user key and deleting it cannot touch Coord's records.
 */
public final class SystemKeys {
  /** The first bytes of every reserved key. */
  public static final byte[] PREFIX = {0, 0};

  private SystemKeys() {}

  /** True if {@code key} lies in the reserved space. */
  public static boolean isReserved(byte[] key) {
    return key.length >= 2 && key[0] == 0 && key[1] == 0;
  }

  /** True if a user range must leave reserved keys out (it does not start inside them). */
  public static boolean skipsReserved(KeyRange range) {
    return !isReserved(range.lower());
  }

  /** The reserved key {@code PREFIX + "coord/" + path}. */
  public static byte[] key(String path) {
    byte[] tail = ("coord/" + path).getBytes(StandardCharsets.UTF_8);
    byte[] key = Arrays.copyOf(PREFIX, PREFIX.length + tail.length);
    System.arraycopy(tail, 0, key, PREFIX.length, tail.length);
    return key;
  }
}
