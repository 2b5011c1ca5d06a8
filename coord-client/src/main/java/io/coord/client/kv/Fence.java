package io.coord.client.kv;

/**
 * One grant of a lock, or one leadership of an election, named by its fencing token. Pass it as
 * the guard of a write ({@link PutOptions.Builder#guard(Fence)}, {@link
 * DeleteOptions.Builder#guard(Fence)}, {@link Txn#guard(Fence)}): the server applies the write
 * only while the grant is current, and refuses it with {@code FENCING_TOKEN_STALE} otherwise.
 * Get one from {@code HeldLock.fence()} or {@code Leadership.fence()}.
 *
 * @param name the lock's or election's name
 * @param election true for an election (the token is a term), false for a lock
 * @param token the fencing token
 */
public record Fence(String name, boolean election, long token) {
  /** A grant of the lock {@code name}. */
  public static Fence lock(String name, long token) {
    return new Fence(name, false, token);
  }

  /** A leadership of the election {@code name}, by its term. */
  public static Fence election(String name, long term) {
    return new Fence(name, true, term);
  }

  /** The wire form. */
  public io.coord.proto.v1.Fence toProto() {
    io.coord.proto.v1.Fence.Builder fence = io.coord.proto.v1.Fence.newBuilder().setToken(token);
    return (election ? fence.setElection(name) : fence.setLock(name)).build();
  }
}
