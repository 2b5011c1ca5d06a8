package io.coord.client;

import java.util.Map;

/** The requested revision is newer than the store's current revision. */
public final class FutureRevisionException extends CoordException {
  public FutureRevisionException(String message, Map<String, String> metadata, Throwable cause) {
    super("FUTURE_REVISION", message, metadata, cause);
  }

  /** The store's current revision when the request failed. */
  public long currentRevision() {
    return Long.parseLong(metadata().getOrDefault("current_revision", "0"));
  }
}
