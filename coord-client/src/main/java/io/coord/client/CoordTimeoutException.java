package io.coord.client;

import java.util.Map;

/**
 * The request did not complete within its timeout. A write may or may not have been applied.
 */
public final class CoordTimeoutException extends CoordException {
  public CoordTimeoutException(String message, Map<String, String> metadata, Throwable cause) {
    super("TIMEOUT", message, metadata, cause);
  }
}
