package io.coord.client.session;

/**
 * What a client knows of its {@link Session}. Transitions:
 *
 * <pre>
 *   CONNECTED ──► SUSPENDED ──► RECONNECTED ──► SUSPENDED ──► ...
 *       │              │              │
 *       └──────────────┴──────────────┴──► LOST (final)
 * </pre>
 *
 * <p>Timing, with {@code TTL} the granted time-to-live and {@code sent} the moment this client
 * sent the last keep-alive the leader acknowledged (or the grant request, before any
 * keep-alive was acknowledged): keep-alives go every {@code TTL / 3}; a keep-alive not
 * acknowledged within {@code TTL / 3} makes the session SUSPENDED; at
 * {@code sent + TTL - margin} (margin = 1% of TTL + 100 ms, for clock-rate differences between
 * this machine and the leader) it is LOST. The server cannot expire the session before
 * {@code sent + TTL}: the leader moves the deadline to TTL after it <em>received</em> a
 * keep-alive (later than it was sent), a new leader restarts every deadline at the full TTL
 * when it takes over (after any acknowledgement of its predecessors, which are given only
 * while the predecessor's term is confirmed current), and no keep-alive is acknowledged once
 * the leader started expiring the session. So the client declares LOST no later than the
 * moment anyone else could be granted what the session held.
 */
public enum SessionState {
  /** The session was granted (or adopted) and its keep-alives are acknowledged. */
  CONNECTED,
  /**
   * Keep-alives are failing: the last one was not acknowledged within a keep-alive interval
   * ({@code TTL / 3}), or the stream to the cluster broke. The session may still be alive,
   * but ownership is uncertain: stop acting on what it holds until RECONNECTED. The client
   * keeps trying every member.
   */
  SUSPENDED,
  /**
   * A keep-alive was acknowledged again after SUSPENDED: the same session, alive, with
   * everything it held. Behaves as CONNECTED.
   */
  RECONNECTED,
  /**
   * Final: the session expired or was revoked, or no keep-alive was acknowledged in time and
   * the server may expire it any moment; also entered when the session is closed. Ownership
   * is gone. A lost session never comes back: grant a new one.
   */
  LOST;

  /** True for CONNECTED and RECONNECTED: keep-alives are being acknowledged. */
  public boolean isConnected() {
    return this == CONNECTED || this == RECONNECTED;
  }
}
