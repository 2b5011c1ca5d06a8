package io.coord.client;

import java.util.Map;

/**
 * A conditional write found the key in another state than expected (for example
 * {@code putIfAbsent} on an existing key). Nothing was written.
 */
public final class CompareFailedException extends CoordException {
  private final long revision;

  public CompareFailedException(String message, long revision) {
    super("COMPARE_FAILED", message, Map.of(), null);
    this.revision = revision;
  }

  /** The store revision at which the comparison was evaluated. */
  public long revision() {
    return revision;
  }
}
