package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class LinkProxyTest {
  private ServerSocket echo;
  private LinkProxy link;

  @BeforeEach
  void start() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread server = new Thread(() -> {
      while (true) {
        try {
          Socket socket = echo.accept();
          Thread connection = new Thread(() -> {
            try (socket; InputStream in = socket.getInputStream();
                 OutputStream out = socket.getOutputStream()) {
              in.transferTo(out);
            } catch (IOException ignored) {
              // Connection gone.
            }
          });
          connection.setDaemon(true);
          connection.start();
        } catch (IOException closed) {
          return;
        }
      }
    });
    server.setDaemon(true);
    server.start();
    link = LinkProxy.to("127.0.0.1:" + echo.getLocalPort());
  }

  @AfterEach
  void stop() throws IOException {
    link.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    String[] hostPort = link.address().split(":");
    Socket socket = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
    socket.setSoTimeout(5000);
    return socket;
  }

  private static int roundTrip(Socket socket, int value) throws IOException {
    socket.getOutputStream().write(value);
    socket.getOutputStream().flush();
    return socket.getInputStream().read();
  }

  @Test
  void aBlackholeHoldsTrafficUntilRestoredWithoutDroppingIt() throws IOException {
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, 'a')).isEqualTo('a');
      link.blackhole();
      socket.setSoTimeout(300);
      assertThatThrownBy(() -> roundTrip(socket, 'b')).isInstanceOf(SocketTimeoutException.class);
      link.restore();
      socket.setSoTimeout(5000);
      assertThat(socket.getInputStream().read()).isEqualTo('b');
      assertThat(roundTrip(socket, 'c')).isEqualTo('c');
    }
  }

  @Test
  void newConnectionsDuringABlackholeAreForwardedOnceRestored() throws IOException {
    link.blackhole();
    try (Socket socket = connect()) {
      socket.setSoTimeout(300);
      assertThatThrownBy(() -> roundTrip(socket, 'x')).isInstanceOf(SocketTimeoutException.class);
      link.restore();
      socket.setSoTimeout(5000);
      assertThat(socket.getInputStream().read()).isEqualTo('x');
    }
  }

  @Test
  void cutResetsOpenConnections() throws IOException {
    try (Socket socket = connect()) {
      assertThat(roundTrip(socket, 'a')).isEqualTo('a');
      link.cut();
      int read;
      try {
        read = roundTrip(socket, 'b');
      } catch (IOException reset) {
        read = -1;
      }
      assertThat(read).isEqualTo(-1);
    }
    try (Socket again = connect()) {
      assertThat(roundTrip(again, 'd')).isEqualTo('d');
    }
  }
}
