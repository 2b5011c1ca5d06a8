package io.coord.client.watch;

import io.coord.client.CompactedException;
import io.coord.client.CoordException;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Receives what a {@link Watcher} delivers. Calls come one at a time, in order, on a thread of
 * the client's listener pool (never on a gRPC thread): the next call starts only after the
 * previous one returned. A listener that takes long holds back only its own watch (the
 * member parks it and catches it up later); it does not lose events.
 *
 * <p>After {@link #onCompacted} or {@link #onError} nothing more is delivered. An exception
 * thrown by a listener method is logged and otherwise ignored.
 */
public interface WatchListener {
  /**
   * All the events of one revision that match the watch, in the order the revision made
   * them. Revisions come in increasing order, each exactly once.
   */
  void onEvents(long revision, List<WatchEvent> events);

  /**
   * Every event up to {@code revision} was delivered. A watch resumed later from
   * {@code revision + 1} misses nothing. By default ignored.
   */
  default void onProgress(long revision) {}

  /**
   * The watch cannot continue: it needs events at or below {@code compactRevision}, which the
   * cluster compacted away (the watch was resumed or started too far back). Re-read the range
   * at {@code compactRevision} (or later) and watch again after that read's revision, or use
   * {@link WatchClient#listAndWatch}, which does so. Delivered once; the watch then ends. By
   * default reported to {@link #onError} as a {@link CompactedException}.
   */
  default void onCompacted(long compactRevision) {
    onError(new CompactedException("the watch needs revisions up to " + compactRevision
        + ", which were compacted", Map.of("compact_revision", Long.toString(compactRevision)),
        null));
  }

  /**
   * The watch ended with an error that retrying cannot fix (the request was refused, e.g. over
   * a limit). Member failures are not reported here: the watcher resumes on another member. By
   * default logged.
   */
  default void onError(CoordException error) {
    Logger.getLogger(WatchListener.class.getName()).log(Level.WARNING,
        "watch ended: " + error.getMessage(), error);
  }
}
