package io.coord.testing;

import io.coord.client.session.Session;
import java.time.Duration;
import org.awaitility.Awaitility;

/** Test helpers about a session's keep-alives. */
final class Renewals {
  private Renewals() {}

  /**
   * When the session's last acknowledged keep-alive was sent, on {@link System#nanoTime()}:
   * derived from {@link Session#timeLeft()} = sent + TTL - margin - now, with the client's
   * margin of 1% of the TTL plus 100 ms.
   */
  static long lastAcknowledgedSend(Session session) {
    long ttl = session.ttl().toNanos();
    long margin = ttl / 100 + Duration.ofMillis(100).toNanos();
    return System.nanoTime() + session.timeLeft().toNanos() - (ttl - margin);
  }

  /**
   * Waits until a keep-alive sent at or after {@code sinceNanos} (a {@link System#nanoTime()})
   * was acknowledged while the session is connected, or the session is lost.
   */
  static void awaitRenewedSince(Session session, long sinceNanos, Duration atMost) {
    Awaitility.await("session " + session.id() + " renewed").atMost(atMost)
        .pollInterval(Duration.ofMillis(20))
        .until(() -> session.isLost() || session.state().isConnected()
            && lastAcknowledgedSend(session) - sinceNanos >= 0);
  }
}
