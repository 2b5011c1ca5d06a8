package io.coord.bench.failover;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds a base port such that base + each offset is free on 127.0.0.1. */
final class FreePorts {
  private FreePorts() {}

  static int base(int from, int... offsets) {
    for (int base = from; base < 40_000; base += 100) {
      boolean free = true;
      for (int i = 0; i < offsets.length && free; i++) {
        free = isFree(base + offsets[i]);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no free port range from " + from);
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
