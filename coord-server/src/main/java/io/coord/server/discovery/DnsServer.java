package io.coord.server.discovery;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;

/**
 * A small authoritative DNS server for the {@code coord.} zone on one UDP and one TCP socket
 * (same port), answering with a {@link DnsResponder}. UDP answers are cut at 512 bytes (or the
 * client's EDNS payload size) with the TC flag set, so the client retries over TCP.
 */
public final class DnsServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DnsServer.class);
  private static final int MAX_UDP_QUERY = 4096;
  private static final int TCP_IDLE_MS = 10_000;

  private final InetSocketAddress listen;
  private final DnsResponder responder;
  private final String memberName;
  private DatagramSocket udp;
  private ServerSocket tcp;
  private ExecutorService threads;
  private volatile boolean closed;

  public DnsServer(InetSocketAddress listen, DnsResponder responder, String memberName) {
    this.listen = listen;
    this.responder = responder;
    this.memberName = memberName;
  }

  /** Binds both sockets (a port of 0 picks one free for both) and starts serving. */
  public DnsServer start() throws IOException {
    IOException last = null;
    for (int attempt = 0; attempt < 10 && tcp == null; attempt++) {
      udp = new DatagramSocket(listen);
      try {
        tcp = new ServerSocket();
        tcp.setReuseAddress(true);
        tcp.bind(new InetSocketAddress(listen.getAddress(), udp.getLocalPort()));
      } catch (IOException e) {
        last = e;
        udp.close();
        tcp = null;
        if (listen.getPort() != 0) {
          throw e;
        }
      }
    }
    if (tcp == null) {
      throw last;
    }
    threads = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "coord-dns-" + memberName);
      t.setDaemon(true);
      return t;
    });
    threads.execute(this::serveUdp);
    threads.execute(this::acceptTcp);
    LOG.info("DNS interface on {} (udp and tcp)", address());
    return this;
  }

  /** The bound port. */
  public int port() {
    return udp.getLocalPort();
  }

  public String address() {
    return listen.getAddress().getHostAddress() + ":" + port();
  }

  private void serveUdp() {
    byte[] buffer = new byte[MAX_UDP_QUERY];
    while (!closed) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("DNS UDP receive failed: {}", e.toString());
        }
        continue;
      }
      byte[] query = java.util.Arrays.copyOf(packet.getData(), packet.getLength());
      byte[] answer = respond(query, true);
      if (answer != null) {
        try {
          udp.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
        } catch (IOException e) {
          LOG.debug("DNS UDP send failed: {}", e.toString());
        }
      }
    }
  }

  private void acceptTcp() {
    while (!closed) {
      Socket socket;
      try {
        socket = tcp.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("DNS TCP accept failed: {}", e.toString());
        }
        continue;
      }
      try {
        threads.execute(() -> serveTcp(socket));
      } catch (RejectedExecutionException stopping) {
        closeQuietly(socket);
      }
    }
  }

  private void serveTcp(Socket socket) {
    try (socket) {
      socket.setSoTimeout(TCP_IDLE_MS);
      DataInputStream in = new DataInputStream(socket.getInputStream());
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      while (!closed) {
        int length;
        try {
          length = in.readUnsignedShort();
        } catch (EOFException done) {
          return;
        }
        byte[] query = in.readNBytes(length);
        if (query.length < length) {
          return;
        }
        byte[] answer = respond(query, false);
        if (answer == null) {
          return;
        }
        out.writeShort(answer.length);
        out.write(answer);
        out.flush();
      }
    } catch (SocketException | java.net.SocketTimeoutException gone) {
      // Client went away or idled out.
    } catch (IOException e) {
      LOG.debug("DNS TCP connection failed: {}", e.toString());
    }
  }

  /** The wire answer to a wire query; null if the query cannot even be parsed. */
  byte[] respond(byte[] wire, boolean udpTransport) {
    Message query;
    try {
      query = new Message(wire);
    } catch (IOException malformed) {
      return null;
    }
    Message response;
    try {
      response = responder.answer(query);
    } catch (RuntimeException e) {
      LOG.warn("DNS query failed: {}", e.toString());
      response = new Message(query.getHeader().getID());
      response.getHeader().setFlag(Flags.QR);
      response.getHeader().setRcode(Rcode.SERVFAIL);
      if (query.getQuestion() != null) {
        response.addRecord(query.getQuestion(), Section.QUESTION);
      }
    }
    OPTRecord opt = query.getOPT();
    int max = 65535;
    if (udpTransport) {
      max = opt == null ? 512 : Math.max(512, Math.min(opt.getPayloadSize(), MAX_UDP_QUERY));
    }
    if (opt != null) {
      response.addRecord(new OPTRecord(MAX_UDP_QUERY, 0, 0), Section.ADDITIONAL);
    }
    return response.toWire(max);
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException ignored) {
      // Closing anyway.
    }
  }

  @Override
  public void close() {
    closed = true;
    if (udp != null) {
      udp.close();
    }
    if (tcp != null) {
      try {
        tcp.close();
      } catch (IOException ignored) {
        // Closing anyway.
      }
    }
    if (threads != null) {
      threads.shutdownNow();
    }
  }
}
