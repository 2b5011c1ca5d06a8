package io.coord.chaos.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Each member in a network namespace of its own, created for the run: a veth pair links the
 * namespace's {@code eth0} (address {@code 10.213.S.(10+i)}) to a bridge in the root namespace
 * (address {@code 10.213.S.1}), where the harness runs, so the harness reaches every member
 * and the members reach each other through the bridge. Links are cut with iptables rules in
 * the receiving member's namespace; the rules vanish with the namespace.
 *
 * <p>Every name it creates is appended to {@code network.txt} in the run directory before it is
 * created, so that {@code scripts/chaos} can remove them even if this JVM dies; a clean
 * {@link #close()} deletes the file.
 */
public final class NamespaceNetwork implements Network {
  static final int CLIENT_PORT = 7701;
  static final int PEER_PORT = 7711;
  static final int HTTP_PORT = 7721;

  private final int members;
  private final int subnet;
  private final Path record;
  private final List<String> namespaces = new ArrayList<>();
  private final List<String> links = new ArrayList<>();
  private boolean closed;

  private NamespaceNetwork(int members, int subnet, Path record) {
    this.members = members;
    this.subnet = subnet;
    this.record = record;
  }

  /**
   * Creates the bridge and one namespace per member.
   *
   * @param record file that lists what was created (for a cleanup outside this JVM)
   * @throws IllegalStateException if this is impossible here (not root, no ip or iptables)
   */
  public static NamespaceNetwork create(int members, Path record) {
    requireTools();
    NamespaceNetwork network = new NamespaceNetwork(members, freeSubnet(), record);
    try {
      network.build();
    } catch (RuntimeException e) {
      network.close();
      throw e;
    }
    return network;
  }

  private static void requireTools() {
    Commands.Result uid = Commands.run(java.time.Duration.ofSeconds(5), List.of("id", "-u"));
    if (!uid.ok() || !uid.output().equals("0")) {
      throw new IllegalStateException("partitions need network namespaces, which need root"
          + " (this runs as uid " + uid.output() + ")");
    }
    for (String tool : new String[] {"ip", "iptables"}) {
      Commands.Result version = Commands.run(java.time.Duration.ofSeconds(5),
          List.of(tool, "-V"));
      if (!version.ok()) {
        throw new IllegalStateException("partitions need '" + tool + "' (apt-get install"
            + " iproute2 iptables; scripts/chaos installs them): " + version.output());
      }
    }
  }

  /** A subnet 10.213.S.0/24 and names no other interface or namespace uses. */
  private static int freeSubnet() {
    String addresses = Commands.check("ip", "-o", "-4", "addr", "show");
    String links = Commands.check("ip", "-o", "link", "show");
    String namespaces = Commands.check("ip", "netns", "list");
    Random random = new Random(ProcessHandle.current().pid());
    for (int attempt = 0; attempt < 500; attempt++) {
      int s = 1 + random.nextInt(250);
      if (!addresses.contains("10.213." + s + ".") && !links.contains(bridgeName(s) + ":")
          && !links.contains(bridgeName(s) + "m") && !namespaces.contains(namespace(s, 1))) {
        return s;
      }
    }
    throw new IllegalStateException("no free subnet 10.213.S.0/24 for the run's namespaces");
  }

  private static String bridgeName(int subnet) {
    return "chaos" + subnet;
  }

  private static String namespace(int subnet, int member) {
    return "coord-chaos-" + subnet + "-n" + member;
  }

  private String namespace(int member) {
    return namespace(subnet, member);
  }

  private void build() {
    String bridge = bridgeName(subnet);
    remember("link " + bridge);
    links.add(bridge);
    Commands.check("ip", "link", "add", bridge, "type", "bridge");
    Commands.check("ip", "addr", "add", "10.213." + subnet + ".1/24", "dev", bridge);
    Commands.check("ip", "link", "set", bridge, "up");
    for (int i = 1; i <= members; i++) {
      String ns = namespace(i);
      String veth = bridge + "m" + i;
      remember("netns " + ns);
      namespaces.add(ns);
      Commands.check("ip", "netns", "add", ns);
      remember("link " + veth);
      links.add(veth);
      Commands.check("ip", "link", "add", veth, "type", "veth", "peer", "name", "eth0",
          "netns", ns);
      Commands.check("ip", "link", "set", veth, "master", bridge, "up");
      Commands.check("ip", "-n", ns, "addr", "add", host(i) + "/24", "dev", "eth0");
      Commands.check("ip", "-n", ns, "link", "set", "eth0", "up");
      Commands.check("ip", "-n", ns, "link", "set", "lo", "up");
      iptables(i, "-F", "INPUT");
      // Connection tracking starts in a namespace with its first rule that needs it, and picks
      // up connections already open with whatever direction its first packet has: a one-way
      // cut would then spare the connections opened before it. This rule (a no-op: OUTPUT
      // accepts anyway) turns tracking on before any member starts.
      iptables(i, "-A", "OUTPUT", "-m", "conntrack", "--ctstate",
          "NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED", "-j", "ACCEPT");
    }
  }

  private void remember(String line) {
    try {
      Files.writeString(record, line + "\n", StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + record, e);
    }
  }

  private void iptables(int member, String... rule) {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace(member),
        "iptables"));
    command.addAll(List.of(rule));
    Commands.check(command.toArray(String[]::new));
  }

  @Override
  public String host(int member) {
    return "10.213." + subnet + "." + (10 + member);
  }

  @Override
  public int[] ports(int member) {
    return new int[] {CLIENT_PORT, PEER_PORT, HTTP_PORT};
  }

  @Override
  public List<String> commandPrefix(int member) {
    return List.of("ip", "netns", "exec", namespace(member));
  }

  @Override
  public boolean partitions() {
    return true;
  }

  @Override
  public synchronized void cut(int a, int b) {
    iptables(b, "-A", "INPUT", "-s", host(a), "-j", "DROP");
    iptables(a, "-A", "INPUT", "-s", host(b), "-j", "DROP");
  }

  @Override
  public synchronized void cutOneWay(int from, int to) {
    iptables(to, "-A", "INPUT", "-s", host(from), "-m", "conntrack", "--ctdir", "ORIGINAL",
        "-j", "DROP");
  }

  @Override
  public synchronized void healAll() {
    for (int i = 1; i <= members; i++) {
      iptables(i, "-F", "INPUT");
      // Connection tracking starts in a namespace with its first rule that needs it, and picks
      // up connections already open with whatever direction its first packet has: a one-way
      // cut would then spare the connections opened before it. This rule (a no-op: OUTPUT
      // accepts anyway) turns tracking on before any member starts.
      iptables(i, "-A", "OUTPUT", "-m", "conntrack", "--ctstate",
          "NEW,ESTABLISHED,RELATED,INVALID,UNTRACKED", "-j", "ACCEPT");
    }
  }

  @Override
  public String describe() {
    return "network namespaces " + namespace(1) + ".." + namespace(members) + " on bridge "
        + bridgeName(subnet) + " (10.213." + subnet + ".0/24), iptables cuts";
  }

  /**
   * Kills whatever still runs in the namespaces (only processes this run started live there),
   * then deletes the namespaces, the veth pairs and the bridge.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    for (String ns : namespaces) {
      Commands.Result pids = Commands.run(java.time.Duration.ofSeconds(10),
          List.of("ip", "netns", "pids", ns));
      if (pids.ok()) {
        for (String pid : pids.output().split("\\s+")) {
          if (!pid.isBlank()) {
            Commands.quietly("kill", "-KILL", pid.strip());
          }
        }
      }
      Commands.quietly("ip", "netns", "del", ns);
    }
    for (int i = links.size() - 1; i >= 0; i--) {
      Commands.quietly("ip", "link", "del", links.get(i));
    }
    try {
      Files.deleteIfExists(record);
    } catch (IOException e) {
      // Only a hint for scripts/chaos, whose cleanup ignores names that no longer exist.
    }
  }
}
