package io.coord.client;

import java.util.Map;

/**
 * A request failed. Subclasses name the failures callers handle differently; the
 * {@link #reason()} is the server's machine-readable reason (see {@code coord.v1.ErrorReason}),
 * or a client-side one such as {@code "TIMEOUT"}.
 */
public class CoordException extends RuntimeException {
  private final String reason;
  private final Map<String, String> metadata;

  public CoordException(String reason, String message, Map<String, String> metadata,
      Throwable cause) {
    super(message, cause);
    this.reason = reason;
    this.metadata = Map.copyOf(metadata);
  }

  /** The reason code, e.g. {@code COMPACTED} or {@code LIMIT_EXCEEDED}. */
  public String reason() {
    return reason;
  }

  /** Details the server attached, e.g. {@code compact_revision}. */
  public Map<String, String> metadata() {
    return metadata;
  }
}
