package io.coord.client.watch;

import io.coord.client.CoordException;
import java.util.List;

/**
 * One thing a {@link WatchQueue} delivers: the events of a revision, a progress notification,
 * or the end of the watch (compacted or failed).
 *
 * @param kind what this is
 * @param revision the events' revision, the progress revision, or the compact revision
 * @param events the events (empty unless {@link Kind#EVENTS})
 * @param error the failure (null unless {@link Kind#ERROR})
 */
public record WatchUpdate(Kind kind, long revision, List<WatchEvent> events,
    CoordException error) {
  /** The kinds of update. */
  public enum Kind {
    /** The events of one revision. */
    EVENTS,
    /** Everything up to the revision was delivered. */
    PROGRESS,
    /** The watch ended: it needs revisions up to this compact revision, which are gone. */
    COMPACTED,
    /** The watch ended with an error. */
    ERROR
  }

  /** True if nothing follows this update. */
  public boolean isEnd() {
    return kind == Kind.COMPACTED || kind == Kind.ERROR;
  }
}
