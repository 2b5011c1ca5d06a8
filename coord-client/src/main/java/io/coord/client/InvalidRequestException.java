package io.coord.client;

import java.util.Map;

/** The request is malformed; the message names the field. Retrying it cannot succeed. */
public final class InvalidRequestException extends CoordException {
  public InvalidRequestException(String reason, String message, Map<String, String> metadata,
      Throwable cause) {
    super(reason, message, metadata, cause);
  }
}
