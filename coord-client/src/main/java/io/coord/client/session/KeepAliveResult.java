package io.coord.client.session;

import java.time.Duration;
import java.util.Optional;

/**
 * The answer to one keep-alive.
 *
 * @param id the session
 * @param ttl its TTL, now counted again from when the leader received the keep-alive; zero
 *     if the session no longer exists
 * @param end why the session ended, when it does not exist and the end is recorded
 */
public record KeepAliveResult(long id, Duration ttl, Optional<EndedSession> end) {
  /** True if the session exists and was renewed. */
  public boolean alive() {
    return !ttl.isZero();
  }
}
