package io.coord.bench.failover;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A 3-member ZooKeeper ensemble from Debian's packaged {@code zookeeper.jar} (with the system
 * slf4j-simple, as in the comparison), the leader found with the {@code srvr} command.
 */
public final class ZooKeeperCluster extends ProcessCluster {
  private static final List<String> NAMES = List.of("zk1", "zk2", "zk3");
  private static final String CLASSPATH =
      "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar";

  private final int base;

  private ZooKeeperCluster() throws IOException {
    super("coord-bench-zookeeper-");
    this.base = FreePorts.base(29_700, 1, 2, 3, 11, 12, 13, 21, 22, 23);
  }

  /** Starts the ensemble and waits (up to a minute) until it serves. */
  public static ZooKeeperCluster start() throws Exception {
    if (!Files.exists(Path.of("/usr/share/java/zookeeper.jar"))) {
      throw new IllegalStateException("ZooKeeper is not installed (apt-get install zookeeper)");
    }
    ZooKeeperCluster cluster = new ZooKeeperCluster();
    try {
      cluster.startAll(NAMES, 60_000);
      return cluster;
    } catch (Exception e) {
      cluster.close();
      throw e;
    }
  }

  @Override
  public String system() {
    return "zookeeper";
  }

  @Override
  public List<String> endpoints() {
    List<String> endpoints = new ArrayList<>();
    for (int n = 1; n <= NAMES.size(); n++) {
      endpoints.add("127.0.0.1:" + (base + n));
    }
    return endpoints;
  }

  @Override
  List<String> command(String name) throws IOException {
    int n = NAMES.indexOf(name) + 1;
    Path data = dir.resolve(name);
    Files.createDirectories(data);
    Files.writeString(data.resolve("myid"), n + "\n");
    StringBuilder cfg = new StringBuilder()
        .append("tickTime=2000\ninitLimit=10\nsyncLimit=5\n")
        .append("dataDir=").append(data).append('\n')
        .append("clientPort=").append(base + n).append('\n')
        .append("clientPortAddress=127.0.0.1\n");
    for (int i = 1; i <= NAMES.size(); i++) {
      cfg.append("server.").append(i).append("=127.0.0.1:").append(base + 10 + i).append(':')
          .append(base + 20 + i).append('\n');
    }
    cfg.append("admin.enableServer=false\n4lw.commands.whitelist=srvr,mntr,stat,ruok\n")
        .append("maxClientCnxns=0\n");
    Path file = dir.resolve(name + ".cfg");
    Files.writeString(file, cfg);
    return List.of("java", "-Xms1g", "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
        "-cp", CLASSPATH, "org.apache.zookeeper.server.quorum.QuorumPeerMain", file.toString());
  }

  /** The server's mode (leader, follower, ...) from its srvr answer, or "" if none. */
  private String mode(String endpoint) {
    String[] hostPort = endpoint.split(":");
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write("srvr".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
      for (String line : reply.split("\n")) {
        if (line.startsWith("Mode: ")) {
          return line.substring(6).trim();
        }
      }
    } catch (IOException | RuntimeException notServing) {
      return "";
    }
    return "";
  }

  @Override
  boolean healthy() {
    List<String> modes = endpoints().stream().map(this::mode).toList();
    return modes.stream().allMatch(m -> m.equals("leader") || m.equals("follower"))
        && modes.stream().filter("leader"::equals).count() == 1;
  }

  @Override
  public String awaitLeader(long timeoutMs) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    while (System.nanoTime() < deadline) {
      List<String> endpoints = endpoints();
      for (int i = 0; i < endpoints.size(); i++) {
        if (mode(endpoints.get(i)).equals("leader")) {
          return NAMES.get(i);
        }
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("no ZooKeeper leader within " + timeoutMs + " ms");
  }
}
