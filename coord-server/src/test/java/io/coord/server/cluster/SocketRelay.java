package io.coord.server.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback in front of a server, whose {@link #cut} closes every connection the
 * way a killed process's kernel does: at once, with no goodbye from the application.
 */
final class SocketRelay implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  SocketRelay(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "relay-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException closed) {
        return;
      }
      try {
        Socket server = new Socket();
        server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        sockets.add(client);
        sockets.add(server);
        pump(client, server);
        pump(server, client);
      } catch (IOException refused) {
        try {
          client.close();
        } catch (IOException ignored) {
          // Closing is all that is left to do.
        }
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread pump = new Thread(() -> {
      byte[] buffer = new byte[8192];
      try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
        for (int n; (n = in.read(buffer)) >= 0; ) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException cut) {
        // One side closed: the other pump ends too.
      }
    }, "relay-pump");
    pump.setDaemon(true);
    pump.start();
  }

  /** Closes the listener and every relayed connection. */
  void cut() throws IOException {
    listener.close();
    resetConnections();
  }

  /** Closes every relayed connection, still accepting new ones. */
  void resetConnections() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
      sockets.remove(socket);
    }
  }

  @Override
  public void close() throws IOException {
    cut();
  }
}
