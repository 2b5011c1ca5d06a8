package io.coord.client;

import java.util.Map;

/**
 * No member could serve the request within the client's timeout (members unreachable, no
 * leader, no quorum). A write may or may not have been applied; the client already retried it
 * under the same request id, so retrying again is safe.
 */
public final class UnavailableException extends CoordException {
  public UnavailableException(String message, Map<String, String> metadata, Throwable cause) {
    super("UNAVAILABLE", message, metadata, cause);
  }
}
