package io.coord.client.maintenance;

import java.io.IOException;

/** A snapshot file is truncated, corrupted or not a Coord snapshot. */
public final class InvalidSnapshotException extends IOException {
  public InvalidSnapshotException(String message) {
    super(message);
  }
}
