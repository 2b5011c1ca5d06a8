package io.coord.client;

import java.util.Map;

/** The requested revision was compacted; {@link #compactRevision()} is the oldest readable. */
public final class CompactedException extends CoordException {
  public CompactedException(String message, Map<String, String> metadata, Throwable cause) {
    super("COMPACTED", message, metadata, cause);
  }

  /** The oldest revision that can still be read. */
  public long compactRevision() {
    return Long.parseLong(metadata().getOrDefault("compact_revision", "0"));
  }
}
