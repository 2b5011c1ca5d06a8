package io.coord.client.watch;

import io.coord.client.CoordException;
import io.coord.client.kv.KeyValue;
import java.util.List;

/**
 * Receives a {@link ListWatch}: a snapshot of the range, then every change after it. Calls come
 * one at a time, in order, never on a gRPC thread.
 */
public interface ListWatchListener {
  /**
   * The range as it is at {@code revision}: replace whatever view you hold with {@code kvs}.
   * Called first, and again (with a newer revision) whenever the watch had to start over
   * because the history it needed was compacted.
   */
  void onSnapshot(long revision, List<KeyValue> kvs);

  /** The changes of one revision after the last snapshot, as {@link WatchListener#onEvents}. */
  void onEvents(long revision, List<WatchEvent> events);

  /** Everything up to {@code revision} was delivered. By default ignored. */
  default void onProgress(long revision) {}

  /** The watch was refused and ended (e.g. over a limit). By default ignored. */
  default void onError(CoordException error) {}
}
