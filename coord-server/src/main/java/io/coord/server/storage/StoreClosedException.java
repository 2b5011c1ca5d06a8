package io.coord.server.storage;

/**
 * The state store is closed: the member is stopping or replacing its state with a snapshot.
 * The request can be retried, on this member later or on another member now.
 */
public final class StoreClosedException extends RuntimeException {
  public StoreClosedException() {
    super("the state store is closed (member stopping or installing a snapshot)");
  }
}
