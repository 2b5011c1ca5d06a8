package io.coord.testing;

import io.coord.client.CoordClient;
import io.coord.server.CoordServer;
import io.coord.server.config.ConfigKey;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.time.Clock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * A real Coord cluster inside the test JVM: N members with Raft over gRPC on 127.0.0.1, RocksDB
 * in a temporary directory, ports chosen free. Members can be stopped, restarted and wiped;
 * everything is removed on {@link #close()}. Like Curator's {@code TestingCluster}.
 *
 * <pre>{@code
 * try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start();
 *      CoordClient client = cluster.newClient()) {
 *   client.kv().put("k", "v");
 *   cluster.stop(cluster.awaitLeader().name());
 * }
 * }</pre>
 *
 * <p><b>Isolating a member.</b> With {@link Builder#peerLinks()}, the Raft traffic addressed
 * to each member goes through a {@link LinkProxy} of its own (the members' Raft configuration
 * names the links, the members listen behind them), so a test can cut a member off:
 *
 * <pre>{@code
 * try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).peerLinks().build().start()) {
 *   Member leader = cluster.awaitReady();
 *   Member follower = cluster.running().stream().filter(m -> m != leader).findFirst().get();
 *   cluster.isolate(follower.name());   // it stops hearing the leader: after an election
 *   ...                                 // timeout it knows no leader, and cannot win a vote
 *   cluster.heal(follower.name());      // held messages flow, it follows the leader again
 * }
 * }</pre>
 *
 * <p>{@link #isolate(String)} holds everything sent on the Raft connections that go
 * <em>to</em> the member: its peers' appends, heartbeats, snapshots and votes, and its own
 * answers to them. A link carries the connections opened towards its member, and loopback
 * connections from one JVM do not say which member opened them, so the requests the isolated
 * member itself sends still arrive (and are answered): its pre-votes (which peers that still
 * hear their leader refuse) and its forwarded proposals and read-index queries. Isolating a
 * <em>follower</em> therefore models a member partitioned from the others: it loses its leader
 * and falls behind while the majority goes on. Isolating the <em>leader</em> this way does not
 * depose it (its appends still arrive); stop it instead. The members' client ports are not
 * behind links; use {@link LinkProxy} in front of them to cut clients off.
 */
public final class CoordTestCluster implements AutoCloseable {
  private final Path dir;
  private final boolean ownsDir;
  private final Map<String, Member> members = new LinkedHashMap<>();
  private final Map<String, String> overrides;
  private final List<CoordClient> clients = new CopyOnWriteArrayList<>();
  private final List<String> fatalErrors = new CopyOnWriteArrayList<>();
  private final boolean peerLinks;

  /** One member: its fixed ports and, while running, its server. */
  public static final class Member {
    private final String name;
    private final int peerPort;
    private final int clientPort;
    private final int httpPort = Ports.next();
    /** The link in front of the Raft port, or null without {@link Builder#peerLinks()}. */
    private final LinkProxy link;
    /** For a member that joined a running cluster: the members it named when it started. */
    private final String joinedWith;
    private volatile CoordServer server;
    private volatile boolean removed;

    private Member(String name, int peerPort, int clientPort, String joinedWith,
        boolean linked) {
      this.name = name;
      this.peerPort = peerPort;
      this.clientPort = clientPort;
      this.joinedWith = joinedWith;
      this.link = linked ? LinkProxy.to(listenAddress()) : null;
    }

    /** True once the member was removed from the cluster (it stopped serving then). */
    public boolean isRemoved() {
      return removed;
    }

    public String name() {
      return name;
    }

    /** host:port of the member's client API (stable across restarts). */
    public String clientAddress() {
      return "127.0.0.1:" + clientPort;
    }

    /** host:port of the member's HTTP endpoint: metrics and health (stable across restarts). */
    public String httpAddress() {
      return "127.0.0.1:" + httpPort;
    }

    /**
     * host:port of the member's Raft transport as its peers reach it: its link's address with
     * {@link Builder#peerLinks()}, else the port it listens on.
     */
    public String peerAddress() {
      return link != null ? link.address() : listenAddress();
    }

    /** host:port where the member's Raft transport listens. */
    String listenAddress() {
      return "127.0.0.1:" + peerPort;
    }

    /** True while the member is isolated from its peers ({@link #isolate(String)}). */
    public boolean isIsolated() {
      return link != null && link.isBlackholed();
    }

    public boolean isRunning() {
      CoordServer current = server;
      return current != null && !current.removed();
    }

    /** The running server; fails if the member is stopped. */
    public CoordServer server() {
      return Objects.requireNonNull(server, () -> "member " + name + " is not running");
    }
  }

  private CoordTestCluster(Builder builder) throws IOException {
    this.ownsDir = builder.dir == null;
    this.dir = builder.dir != null ? builder.dir : Files.createTempDirectory("coord-cluster-");
    this.overrides = Map.copyOf(builder.overrides);
    this.peerLinks = builder.peerLinks;
    for (int i = 1; i <= builder.size; i++) {
      String name = "n" + i;
      members.put(name, new Member(name, Ports.next(), Ports.next(), null, peerLinks));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts every member (they elect a leader in the background). */
  public CoordTestCluster start() {
    for (Member member : members.values()) {
      start(member.name());
    }
    return this;
  }

  /** Starts (or restarts) one member on its existing data. */
  public synchronized void start(String name) {
    Member member = member(name);
    if (member.server != null) {
      throw new IllegalStateException("member " + name + " is already running");
    }
    try {
      member.server = new CoordServer(config(member), Clock.SYSTEM,
          reason -> fatalErrors.add(name + ": " + reason), reason -> member.removed = true)
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("member " + name + " did not start", e);
    }
  }

  /**
   * Stops one member. Its Raft log is durable and its state store keeps what it applied, so
   * a restart recovers from disk as after a crash (no snapshot is taken on stop).
   */
  public synchronized void stop(String name) {
    Member member = member(name);
    CoordServer server = member.server;
    member.server = null;
    if (server != null) {
      server.close();
    }
  }

  /**
   * Cuts the member off from its peers: the Raft traffic sent to it is held (not dropped)
   * until {@link #heal(String)}. See the class documentation for what this does and does not
   * cut. Needs {@link Builder#peerLinks()}.
   */
  public void isolate(String name) {
    link(name).blackhole();
  }

  /** Ends {@link #isolate(String)}: held traffic is delivered, then traffic flows again. */
  public void heal(String name) {
    link(name).restore();
  }

  private LinkProxy link(String name) {
    LinkProxy link = member(name).link;
    if (link == null) {
      throw new IllegalStateException("members can be isolated only in a cluster built with"
          + " peerLinks()");
    }
    return link;
  }

  /** Stops and starts one member. */
  public void restart(String name) {
    stop(name);
    start(name);
  }

  /**
   * Starts a new, empty member configured to join the running cluster
   * ({@code coord.cluster.initial-state=existing}); it serves once a member adds it (see
   * {@link #addMember(String, boolean)}).
   */
  public synchronized Member join(String name) {
    if (members.containsKey(name)) {
      throw new IllegalArgumentException("member " + name + " exists already");
    }
    StringBuilder current = new StringBuilder();
    for (Member m : members.values()) {
      if (!m.removed) {
        current.append(m.name).append('=').append(m.peerAddress()).append(',');
      }
    }
    Member member = new Member(name, Ports.next(), Ports.next(), current.toString(),
        peerLinks);
    members.put(name, member);
    start(name);
    return member;
  }

  /**
   * Starts a new member ({@link #join(String)}) and adds it to the cluster, as a learner or a
   * voter; returns once the cluster committed the change.
   */
  public Member addMember(String name, boolean learner) {
    Member member = join(name);
    try (CoordClient client = adminClient()) {
      client.cluster().addMember(name, member.peerAddress(), learner);
    }
    return member;
  }

  /** Makes the learner {@code name} a voter (it must have caught up). */
  public void promoteMember(String name) {
    try (CoordClient client = adminClient()) {
      client.cluster().promoteMember(name);
    }
  }

  /**
   * Removes a member from the cluster and waits until it stopped serving. Its data stays
   * until the cluster is closed.
   */
  public void removeMember(String name, Duration timeout) {
    Member member = member(name);
    try (CoordClient client = adminClient()) {
      client.cluster().removeMember(name);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (member.server != null && !member.removed && System.nanoTime() < deadline) {
      pause();
    }
    if (member.server != null && !member.removed) {
      throw new IllegalStateException(name + " was removed but did not stop within " + timeout);
    }
    synchronized (this) {
      member.removed = true;
      stop(name);
    }
  }

  private CoordClient adminClient() {
    return CoordClient.builder().endpoints(endpoints()).requestTimeout(Duration.ofSeconds(60))
        .build();
  }

  /** Stops one member and deletes its data, so the next start begins empty. */
  public synchronized void wipe(String name) {
    stop(name);
    deleteRecursively(dataDir(name));
  }

  public Path dataDir(String name) {
    return dir.resolve(name);
  }

  public Member member(String name) {
    Member member = members.get(name);
    if (member == null) {
      throw new IllegalArgumentException("no member " + name + " in " + members.keySet());
    }
    return member;
  }

  public List<Member> members() {
    return List.copyOf(members.values());
  }

  public List<Member> running() {
    return members.values().stream().filter(Member::isRunning).toList();
  }

  /** Client addresses of every member not removed, for a client's endpoint list. */
  public List<String> endpoints() {
    return members.values().stream().filter(m -> !m.removed).map(Member::clientAddress)
        .toList();
  }

  /** The running member that is leader, if one is (and it knows it). */
  public Optional<Member> leader() {
    return running().stream().filter(m -> {
      try {
        return m.server().raft().isLeader();
      } catch (RuntimeException notReady) {
        return false;
      }
    }).findFirst();
  }

  /**
   * Waits until a running member leads and every running member follows it.
   *
   * @throws IllegalStateException after {@code timeout}
   */
  public Member awaitLeader(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<Member> leader = leader();
      if (leader.isPresent() && running().stream().allMatch(m -> {
        try {
          return leader.get().name().equals(m.server().raft().leaderName());
        } catch (RuntimeException notReady) {
          return false;
        }
      })) {
        return leader.get();
      }
      pause();
    }
    throw new IllegalStateException("no leader agreed by " + running().size()
        + " running members within " + timeout);
  }

  public Member awaitLeader() {
    return awaitLeader(Duration.ofSeconds(30));
  }

  /**
   * Waits until a leader is agreed and every running member knows every running member's
   * client address (members publish them through the log once a leader exists). Until then,
   * calls that a member relays to the leader or to other members (keep-alives, session
   * queries, status) may fail or answer from local state.
   *
   * @return the leader
   * @throws IllegalStateException after {@code timeout}
   */
  public Member awaitReady(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Member leader = awaitLeader(timeout);
    while (System.nanoTime() < deadline) {
      int expected = running().size();
      if (running().stream().allMatch(m -> {
        try {
          return m.server().stateMachine().read((view, meta) -> {
            int published = 0;
            try (Cursor cursor = view.scan(ColumnFamily.MEMBERS, null, null)) {
              for (; cursor.valid(); cursor.next()) {
                published++;
              }
            }
            return published;
          }) >= expected;
        } catch (RuntimeException notReady) {
          return false;
        }
      })) {
        return awaitLeader(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      }
      pause();
    }
    throw new IllegalStateException("members did not all publish their addresses within "
        + timeout + " (leader " + leader.name() + ")");
  }

  public Member awaitReady() {
    return awaitReady(Duration.ofSeconds(30));
  }

  /**
   * Waits until every running member applied the same log index and holds the same state.
   *
   * @return the common state hash
   */
  public String awaitConverged(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> last = List.of();
    while (System.nanoTime() < deadline) {
      List<Member> running = running();
      List<Long> applied = new ArrayList<>();
      List<String> hashes = new ArrayList<>();
      try {
        for (Member m : running) {
          applied.add(m.server().stateMachine().appliedIndex());
        }
        if (applied.stream().distinct().count() == 1) {
          for (Member m : running) {
            hashes.add(m.server().stateMachine().stateHash());
          }
          if (hashes.stream().distinct().count() == 1
              && running.stream().allMatch(m -> m.server().stateMachine().appliedIndex()
                  == applied.get(0))) {
            return hashes.get(0);
          }
        }
      } catch (RuntimeException notReady) {
        // A member is installing a snapshot or stopping: look again.
      }
      last = hashes.isEmpty() ? applied.stream().map(String::valueOf).toList() : hashes;
      pause();
    }
    throw new IllegalStateException("members did not converge within " + timeout + ": " + last);
  }

  /** A client over every member's endpoint; closed with the cluster. */
  public CoordClient newClient() {
    return newClient(endpoints());
  }

  /** A client over the given endpoints; closed with the cluster. */
  public CoordClient newClient(List<String> endpoints) {
    CoordClient client = CoordClient.builder().endpoints(endpoints)
        .requestTimeout(Duration.ofSeconds(30)).build();
    clients.add(client);
    return client;
  }

  /** Reasons members stopped serving on their own (a failed apply, a broken log). */
  public List<String> fatalErrors() {
    return List.copyOf(fatalErrors);
  }

  private ServerConfig config(Member member) {
    StringBuilder initial = new StringBuilder();
    if (member.joinedWith != null) {
      initial.append(member.joinedWith).append(member.name).append('=')
          .append(member.peerAddress());
    } else {
      for (Member m : members.values()) {
        if (m.joinedWith != null) {
          continue;
        }
        if (initial.length() > 0) {
          initial.append(',');
        }
        initial.append(m.name).append('=').append(m.peerAddress());
      }
    }
    ServerConfig.Builder config = ServerConfig.builder()
        .set(ConfigKeys.NAME, member.name)
        .set(ConfigKeys.DATA_DIR, dataDir(member.name).toString())
        .set(ConfigKeys.INITIAL_MEMBERS, initial.toString())
        .set(ConfigKeys.INITIAL_STATE, member.joinedWith != null ? "existing" : "new")
        .set(ConfigKeys.PEER_LISTEN, member.listenAddress())
        .set(ConfigKeys.CLIENT_LISTEN, member.clientAddress())
        .set(ConfigKeys.HTTP_LISTEN, member.httpAddress())
        .set(ConfigKeys.CLUSTER_TOKEN, "test");
    for (Map.Entry<String, String> override : overrides.entrySet()) {
      ConfigKey<?> key = ConfigKeys.ALL.stream()
          .filter(k -> k.name().equals(override.getKey())).findFirst().orElseThrow();
      config.set(key, override.getValue());
    }
    return config.build();
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  /** Stops every member and client and removes the data (if the cluster created the dir). */
  @Override
  public synchronized void close() {
    clients.forEach(CoordClient::close);
    // Links first: a member does not wait on connections held by an isolating link.
    for (Member member : members.values()) {
      if (member.link != null) {
        member.link.close();
      }
    }
    for (Member member : members.values()) {
      stop(member.name);
    }
    if (ownsDir) {
      deleteRecursively(dir);
    }
  }

  private static void deleteRecursively(Path path) {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(path)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }

  /** Configures a {@link CoordTestCluster}. */
  public static final class Builder {
    private int size = 3;
    private Path dir;
    private final Map<String, String> overrides = new LinkedHashMap<>();
    private boolean peerLinks;

    /**
     * Routes the Raft traffic addressed to each member through a {@link LinkProxy} on
     * 127.0.0.1, so that members can be {@linkplain CoordTestCluster#isolate(String) isolated}
     * from their peers. Off by default (members then talk to each other directly).
     */
    public Builder peerLinks() {
      this.peerLinks = true;
      return this;
    }

    /** Number of members (default 3). */
    public Builder size(int size) {
      this.size = size;
      return this;
    }

    /** Keep data under {@code dir} (not deleted on close) instead of a temporary directory. */
    public Builder dataDir(Path dir) {
      this.dir = dir;
      return this;
    }

    /** Sets a server configuration key on every member. */
    public Builder set(ConfigKey<?> key, String value) {
      overrides.put(key.name(), value);
      return this;
    }

    public CoordTestCluster build() {
      try {
        return new CoordTestCluster(this);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
