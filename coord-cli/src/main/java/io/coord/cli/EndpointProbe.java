package io.coord.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Checks that at least one endpoint accepts a TCP connection, trying all of them at once. The
 * client would otherwise retry unreachable members until the request timeout; this turns "the
 * cluster is not running" into a quick, clear error (like etcdctl's dial timeout).
 */
final class EndpointProbe {
  private EndpointProbe() {}

  /** Returns once any endpoint accepts a connection; throws a {@link CliException} if none. */
  static void requireReachable(List<String> endpoints, Duration timeout) {
    CountDownLatch decided = new CountDownLatch(1);
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger reachable = new AtomicInteger();
    for (String endpoint : endpoints) {
      Thread probe = new Thread(() -> {
        if (connects(endpoint, timeout)) {
          reachable.incrementAndGet();
          decided.countDown();
        } else if (failed.incrementAndGet() == endpoints.size()) {
          decided.countDown();
        }
      }, "coord-probe-" + endpoint);
      probe.setDaemon(true);
      probe.start();
    }
    try {
      decided.await(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (reachable.get() == 0) {
      throw new CliException("cannot reach any of " + String.join(",", endpoints)
          + ": is the cluster running? (scripts/cluster up; or set --endpoints or"
          + " COORD_ENDPOINTS)");
    }
  }

  private static boolean connects(String endpoint, Duration timeout) {
    int colon = endpoint.lastIndexOf(':');
    String host = endpoint.substring(0, colon).replace("[", "").replace("]", "");
    int port = Integer.parseInt(endpoint.substring(colon + 1));
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }
}
