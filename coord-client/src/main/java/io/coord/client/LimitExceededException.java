package io.coord.client;

import java.util.Map;

/** A request field is over a server limit; the message names the field and the limit. */
public final class LimitExceededException extends CoordException {
  public LimitExceededException(String message, Map<String, String> metadata, Throwable cause) {
    super("LIMIT_EXCEEDED", message, metadata, cause);
  }

  /** The offending field, as a path into the request (e.g. {@code put.value}). */
  public String field() {
    return metadata().getOrDefault("field", "");
  }

  /** The limit the field broke. */
  public long limit() {
    return Long.parseLong(metadata().getOrDefault("limit", "0"));
  }
}
