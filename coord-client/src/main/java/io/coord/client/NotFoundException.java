package io.coord.client;

import java.util.Map;

/** Something the request names does not exist, e.g. an expired session. */
public class NotFoundException extends CoordException {
  public NotFoundException(String reason, String message, Map<String, String> metadata,
      Throwable cause) {
    super(reason, message, metadata, cause);
  }
}
