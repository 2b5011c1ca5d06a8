package io.coord.client.lock;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The store side of fencing, for a resource outside Coord (a file, a database row, another
 * service): it remembers the highest fencing token it has accepted and refuses any write that
 * carries a lower one. A holder that was paused while its lock passed to someone else (who
 * wrote with a greater token) is refused when it wakes up, whatever it believes.
 *
 * <pre>{@code
 * FencedResource<Config> store = ...;                  // lives with the resource
 * try (HeldLock held = client.lock("config").acquire()) {
 *   store.write(held.token(), config -> config.with("mode", "fast"));
 * }
 * }</pre>
 *
 * <p>Equal tokens are accepted, so one holder may write many times. A real external store does
 * the same compare-and-write atomically (e.g. {@code UPDATE ... WHERE fence_token <= ?});
 * for data kept in Coord itself, guard the write instead ({@link HeldLock#fence()}), which the
 * server checks against the current holders. Thread-safe.
 *
 * @param <T> the resource's state
 */
public final class FencedResource<T> {
  private T state;
  private long highestToken;

  public FencedResource(T initial) {
    this.state = initial;
  }

  /**
   * Applies {@code change} if {@code token} is at least the highest token seen.
   *
   * @return the new state
   * @throws StaleTokenException if a greater token was seen: a later holder wrote already
   */
  public synchronized T write(long token, UnaryOperator<T> change) {
    if (token < highestToken) {
      throw new StaleTokenException(token, highestToken);
    }
    highestToken = token;
    state = change.apply(state);
    return state;
  }

  /** Reads the state. */
  public synchronized <R> R read(Function<T, R> reader) {
    return reader.apply(state);
  }

  /** The highest token accepted so far (0 before any write). */
  public synchronized long highestToken() {
    return highestToken;
  }

  /** A write carried a token lower than one the resource already accepted. */
  public static final class StaleTokenException extends IllegalStateException {
    private final long token;
    private final long highest;

    StaleTokenException(long token, long highest) {
      super("fencing token " + token + " is stale: the resource already accepted " + highest);
      this.token = token;
      this.highest = highest;
    }

    public long token() {
      return token;
    }

    public long highestAccepted() {
      return highest;
    }
  }
}
