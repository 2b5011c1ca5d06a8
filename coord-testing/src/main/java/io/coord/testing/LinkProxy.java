package io.coord.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP link from a local port to one target (a Coord member's client address, or its Raft
 * address: see {@link CoordTestCluster.Builder#peerLinks()}), which a test can cut, to see how
 * an application behaves under a network partition without touching the servers:
 *
 * <pre>{@code
 * List<LinkProxy> links = cluster.endpoints().stream().map(LinkProxy::to).toList();
 * CoordClient client = cluster.newClient(links.stream().map(LinkProxy::address).toList());
 * links.forEach(LinkProxy::blackhole);   // the client is cut off from the cluster
 * ...                                    // its sessions go SUSPENDED, then LOST
 * links.forEach(LinkProxy::restore);     // bytes held meanwhile are delivered
 * }</pre>
 *
 * <p>{@link #blackhole()} behaves like a silent partition: connections stay open but nothing
 * crosses in either direction, and new connections are accepted but not forwarded; bytes in
 * flight are held, not dropped, and delivered after {@link #restore()} (as TCP would after a
 * partition heals, if the connection survived). {@link #cut()} resets every connection
 * instead, like a crashed peer. Listens on 127.0.0.1 on a free port.
 */
public final class LinkProxy implements AutoCloseable {
  private static final AtomicInteger IDS = new AtomicInteger();

  private final InetSocketAddress target;
  private final ServerSocket server;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Object gate = new Object();
  private boolean blackholed;
  private volatile boolean closed;

  private LinkProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "link-proxy-" + IDS.incrementAndGet() + "-"
        + server.getLocalPort() + "-to-" + target.getPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A link to {@code hostPort} (e.g. a member's client address), forwarding at once. */
  public static LinkProxy to(String hostPort) {
    int colon = hostPort.lastIndexOf(':');
    try {
      return new LinkProxy(new InetSocketAddress(hostPort.substring(0, colon),
          Integer.parseInt(hostPort.substring(colon + 1))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a link proxy to " + hostPort, e);
    }
  }

  /** host:port to connect to instead of the target. */
  public String address() {
    return "127.0.0.1:" + server.getLocalPort();
  }

  /** Stops all traffic both ways, holding it, until {@link #restore()}. */
  public void blackhole() {
    synchronized (gate) {
      blackholed = true;
    }
  }

  /** Lets traffic flow again, held bytes first. */
  public void restore() {
    synchronized (gate) {
      blackholed = false;
      gate.notifyAll();
    }
  }

  public boolean isBlackholed() {
    synchronized (gate) {
      return blackholed;
    }
  }

  /** Resets every open connection (new ones are still accepted). */
  public void cut() {
    for (Socket socket : sockets) {
      closeQuietly(socket);
    }
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      sockets.add(client);
      Thread connector = new Thread(() -> connect(client), Thread.currentThread().getName()
          + "-conn");
      connector.setDaemon(true);
      connector.start();
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      awaitOpen();
      sockets.add(upstream);
      upstream.connect(target, 5000);
      upstream.setTcpNoDelay(true);
      client.setTcpNoDelay(true);
    } catch (IOException | InterruptedException e) {
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    Thread back = new Thread(() -> pump(upstream, client), Thread.currentThread().getName()
        + "-back");
    back.setDaemon(true);
    back.start();
    pump(client, upstream);
  }

  /** Copies {@code from} to {@code to} while the gate is open; closes both at the end. */
  private void pump(Socket from, Socket to) {
    byte[] buffer = new byte[16 << 10];
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      while (true) {
        int read = in.read(buffer);
        if (read < 0) {
          return;
        }
        awaitOpen();
        out.write(buffer, 0, read);
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // Connection reset, cut or closed: end both directions.
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitOpen() throws InterruptedException, IOException {
    synchronized (gate) {
      while (blackholed && !closed) {
        gate.wait();
      }
    }
    if (closed) {
      throw new IOException("link proxy closed");
    }
  }

  private void closeQuietly(Socket socket) {
    sockets.remove(socket);
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }

  /** Stops listening and closes every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
    synchronized (gate) {
      gate.notifyAll();
    }
    cut();
  }
}
