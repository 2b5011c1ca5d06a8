package io.coord.chaos.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Every member on 127.0.0.1 with free ports: enough for crashes, pauses and clock skew, but
 * links cannot be cut.
 */
public final class LoopbackNetwork implements Network {
  private final int[][] ports;

  public LoopbackNetwork(int members) {
    Set<Integer> taken = new HashSet<>();
    ports = new int[members][];
    for (int i = 0; i < members; i++) {
      ports[i] = new int[] {freePort(taken), freePort(taken), freePort(taken)};
    }
  }

  private static int freePort(Set<Integer> taken) {
    for (int attempt = 0; attempt < 100; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        if (taken.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException("no free port on 127.0.0.1", e);
      }
    }
    throw new IllegalStateException("no free port on 127.0.0.1 after 100 attempts");
  }

  @Override
  public String host(int member) {
    return "127.0.0.1";
  }

  @Override
  public int[] ports(int member) {
    return ports[member - 1].clone();
  }

  @Override
  public List<String> commandPrefix(int member) {
    return List.of();
  }

  @Override
  public boolean partitions() {
    return false;
  }

  @Override
  public void cut(int a, int b) {
    throw new UnsupportedOperationException("partitions need network namespaces");
  }

  @Override
  public void cutOneWay(int from, int to) {
    throw new UnsupportedOperationException("partitions need network namespaces");
  }

  @Override
  public void healAll() {
  }

  @Override
  public String describe() {
    return "loopback (127.0.0.1, free ports; no partitions)";
  }

  @Override
  public void close() {
  }
}
