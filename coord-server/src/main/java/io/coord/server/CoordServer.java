package io.coord.server;

import io.coord.server.api.ApiServer;
import io.coord.server.api.KeepAliveStreams;
import io.coord.server.api.HealthReporter;
import io.coord.server.api.Headers;
import io.coord.server.api.ReadPath;
import io.coord.server.api.Services;
import io.coord.server.api.WritePath;
import io.coord.server.cluster.ElectionWatchdog;
import io.coord.server.cluster.FollowerLinks;
import io.coord.server.cluster.LeaderLink;
import io.coord.server.cluster.LeaderRoute;
import io.coord.server.cluster.AutoPromoter;
import io.coord.server.cluster.MemberDirectory;
import io.coord.server.cluster.Membership;
import io.coord.server.cluster.MemberIds;
import io.coord.server.cluster.MemberPublisher;
import io.coord.server.cluster.PeerChannels;
import io.coord.server.cluster.StatusCollector;
import io.coord.server.cluster.TermCheck;
import io.coord.server.command.PublishMember;
import io.coord.server.compaction.AutoCompactor;
import io.coord.server.compaction.CompactionDrainer;
import io.coord.server.config.ConfigKey;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.HostPort;
import io.coord.server.config.ServerConfig;
import io.coord.server.discovery.DiscoveryHandlers;
import io.coord.server.discovery.DnsResponder;
import io.coord.server.discovery.DnsServer;
import io.coord.server.discovery.HealthCheckRunner;
import io.coord.server.discovery.InstanceReader;
import io.coord.server.discovery.InstanceStore;
import io.coord.server.discovery.NetworkProber;
import io.coord.server.http.HealthChecks;
import io.coord.server.http.HttpEndpoint;
import io.coord.server.election.ElectionHandlers;
import io.coord.server.election.ElectionProjection;
import io.coord.server.kv.KvCommands;
import io.coord.server.lock.LockFences;
import io.coord.server.lock.LockHandlers;
import io.coord.server.lock.LockProjection;
import io.coord.server.lock.LockReader;
import io.coord.server.lock.LockSpace;
import io.coord.server.lock.LockTable;
import io.coord.server.lock.LockWaits;
import io.coord.server.logging.LogFields;
import io.coord.server.metrics.CoordMetrics;
import io.coord.server.metrics.GrpcMetrics;
import io.coord.server.metrics.ServerMetrics;
import io.coord.server.maintenance.RestoredState;
import io.coord.server.maintenance.SnapshotExporter;
import io.coord.server.raft.RaftNode;
import io.coord.server.session.SessionHandlers;
import io.coord.server.session.SessionReader;
import io.coord.server.session.SessionStore;
import io.coord.server.session.SessionTracker;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.statemachine.KvHandlers;
import io.coord.server.statemachine.MemberHandler;
import io.coord.server.statemachine.RevisionWaiter;
import io.coord.server.time.Clock;
import io.coord.server.watch.LeaderLoss;
import io.coord.server.watch.WatchHub;
import io.coord.server.watch.WatchLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Coord member: wires the state machine, Raft, the gRPC API and the leader-only duties,
 * starts them in order and stops them in reverse.
 */
public final class CoordServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CoordServer.class);

  private final ServerConfig config;
  private final Clock clock;
  private final Consumer<String> onFatal;
  private final Consumer<String> onRemoved;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private CoordStateMachine stateMachine;
  private RaftNode raft;
  private ElectionWatchdog electionWatchdog;
  private LeaderLink leaderLink;
  private ApiServer api;
  private WatchHub watches;
  private volatile String clientAddress;
  private volatile String httpAddress;
  private volatile DnsServer dns;
  private final CoordMetrics metrics = new CoordMetrics();
  private volatile boolean failed;
  private volatile boolean removed;

  /**
   * @param onFatal told when the member stops serving on its own (a failed apply, a broken
   *     log); a standalone server exits, an embedded one may restart the member
   */
  public CoordServer(ServerConfig config, Clock clock, Consumer<String> onFatal) {
    this(config, clock, onFatal, reason -> { });
  }

  /**
   * @param onRemoved told after the member stopped serving because it was removed from the
   *     cluster; a standalone server exits
   */
  public CoordServer(ServerConfig config, Clock clock, Consumer<String> onFatal,
      Consumer<String> onRemoved) {
    this.config = config;
    this.clock = clock;
    this.onFatal = onFatal;
    this.onRemoved = onRemoved;
  }

  /** Starts the member; on failure, stops whatever had started and rethrows. */
  public synchronized CoordServer start() throws IOException {
    try {
      startParts();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    return this;
  }

  private void startParts() throws IOException {
    String name = config.get(ConfigKeys.NAME);
    String token = config.get(ConfigKeys.CLUSTER_TOKEN);
    ExecutorService readCompletions = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "coord-read-completions-" + name);
      t.setDaemon(true);
      return t;
    });
    started.push(readCompletions::shutdownNow);

    warnIfUnsafe(name);
    stateMachine = new CoordStateMachine(config.dataDir().resolve("state"));
    stateMachine.setUnsafeSkipDedupe(config.get(ConfigKeys.UNSAFE_SKIP_DEDUPE));
    SessionStore sessions = new SessionStore();
    KvHandlers.register(stateMachine, new KvCommands(sessions, new LockFences()));
    SessionHandlers.register(stateMachine, sessions);
    LockTable locks = new LockTable(LockSpace.LOCK, new LockProjection());
    LockTable elections = new LockTable(LockSpace.ELECTION, new ElectionProjection());
    LockHandlers.register(stateMachine, locks);
    ElectionHandlers.register(stateMachine, elections);
    sessions.addEndListener(locks);
    sessions.addEndListener(elections);
    MemberHandler.register(stateMachine);
    DiscoveryHandlers.register(stateMachine, new InstanceStore(sessions));
    RevisionWaiter revisions = new RevisionWaiter(stateMachine, readCompletions);
    stateMachine.addListener(revisions);
    RestoredState.prepare(config.dataDir(), stateMachine);

    raft = new RaftNode(config, stateMachine, clock, this::fatal, this::removed);
    started.push(raft);
    raft.start();
    ServerMetrics.register(metrics, raft, stateMachine);
    LogFields.install(name, MemberIds.memberId(token, name), raft::currentTermOrZero);

    Headers headers = new Headers(MemberIds.clusterId(token), MemberIds.memberId(token, name),
        () -> raft.currentTerm(), () -> {
          try {
            String leader = raft.leaderName();
            return leader == null ? 0 : MemberIds.memberId(token, leader);
          } catch (RuntimeException notRunning) {
            return 0;
          }
        });
    WritePath writes = new WritePath(raft.proposer());
    ReadPath reads = new ReadPath(stateMachine, raft.readBarrier(), revisions,
        config.get(ConfigKeys.UNSAFE_LOCAL_READS));
    MemberDirectory directory = new MemberDirectory(raft, stateMachine, token);
    PeerChannels peerChannels = new PeerChannels();
    started.push(peerChannels);
    LeaderRoute route = new LeaderRoute(raft, directory, peerChannels);
    leaderLink = new LeaderLink(peerChannels, route::address, clock);
    started.push(leaderLink);
    raft.considerLeaderGoneWhen(leaderLink::lost);
    TermCheck termCheck = new TermCheck(raft, route, config.get(ConfigKeys.ELECTION_TIMEOUT_MAX));
    raft.confirmReadTermsWith(termCheck::confirm);
    leaderLink.onFound(raft::leaderFoundAgain);
    if (config.get(ConfigKeys.ELECTION_WATCHDOG)) {
      ElectionWatchdog watchdog = new ElectionWatchdog(raft, route, leaderLink, clock,
          config.get(ConfigKeys.ELECTION_TIMEOUT_MIN).multipliedBy(3).dividedBy(4));
      electionWatchdog = watchdog;
      started.push(watchdog);
      watchdog.start();
      metrics.gauge("coord_server_watchdog_elections",
          "Elections this member started because a majority of voters no longer heard the"
              + " leader (see coord.raft.election-watchdog), since it started.",
          watchdog::campaigns);
    }
    StatusCollector status = new StatusCollector(raft, stateMachine, directory, route,
        config.get(ConfigKeys.ELECTION_TIMEOUT_MAX), Version.current());
    Membership membership = new Membership(raft, config.get(ConfigKeys.ELECTION_TIMEOUT_MAX),
        config.get(ConfigKeys.PROMOTE_MAX_LAG));
    started.push(membership);
    SnapshotExporter snapshots = new SnapshotExporter(stateMachine,
        config.dataDir().resolve("tmp"), token, MemberIds.clusterId(token), name, clock);

    SessionTracker tracker = new SessionTracker(clock,
        () -> stateMachine.read((view, meta) -> SessionReader.live(view)),
        raft.proposer()::propose);
    started.push(tracker);
    sessions.setEvents(tracker);
    raft.addLeadershipListener(tracker);
    KeepAliveStreams keepAlives = new KeepAliveStreams(tracker, termCheck, route, raft,
        stateMachine, headers);

    FollowerLinks followerLinks = new FollowerLinks();
    HostPort listen = config.get(ConfigKeys.CLIENT_LISTEN);
    int maxInbound = (int) Math.max(4L << 20, 2 * config.get(ConfigKeys.MAX_REQUEST_BYTES));
    // Watches end (NO_LEADER) once the member knew no leader for the grace period, so that
    // clients resume on a member that has one instead of waiting on a cut-off member.
    watches = new WatchHub(stateMachine, WatchLimits.of(config), headers::at, name,
        new LeaderLoss(clock, () -> raft.leaderName() != null, LeaderLoss.grace(config)));
    watches.start();
    LockWaits lockWaits = new LockWaits(stateMachine, clock, () -> raft.leaderName() != null,
        config.get(ConfigKeys.ELECTION_TIMEOUT_MAX), name);
    stateMachine.addListener(lockWaits);
    locks.setEvents(lockWaits);
    elections.setEvents(lockWaits);
    lockWaits.start();
    metrics.gauge("coord_server_sessions_active", "Sessions currently alive.",
        () -> stateMachine.read((view, meta) -> SessionReader.live(view).size()));
    metrics.gauge("coord_server_watchers_active", "Watches currently open on this member.",
        () -> {
          var stats = watches.stats();
          return stats.synced() + stats.unsynced();
        });
    metrics.gauge("coord_server_locks_held", "Locks currently held.",
        () -> stateMachine.read((view, meta) -> LockReader.census(view, LockSpace.LOCK)[0]));
    metrics.gauge("coord_server_lock_waiters", "Sessions currently waiting for a lock.",
        () -> stateMachine.read((view, meta) -> LockReader.census(view, LockSpace.LOCK)[1]));
    api = new ApiServer(new InetSocketAddress(listen.host(), listen.port()),
        Services.create(new Services.Parts(config, stateMachine, raft, writes, reads, headers,
            directory, status, route, membership, snapshots, tracker, keepAlives, watches,
            lockWaits, leaderLink, followerLinks)),
        maxInbound, List.of(new GrpcMetrics(metrics)));
    started.push(api);
    started.push(followerLinks);
    // Closed before the API server, which would otherwise wait for the streams to end.
    started.push(watches);
    started.push(lockWaits);
    started.push(keepAlives);
    api.start();
    HostPort advertise = config.get(ConfigKeys.CLIENT_ADVERTISE);
    clientAddress = (advertise != null ? advertise : listen.withPort(api.port())).toString();
    HealthReporter grpcHealth = new HealthReporter(api.health(), api.serviceNames(),
        () -> raft.leaderName() != null);
    started.push(grpcHealth);
    grpcHealth.start();

    HostPort httpListen = config.get(ConfigKeys.HTTP_LISTEN);
    HttpEndpoint http = new HttpEndpoint(new InetSocketAddress(httpListen.host(),
        httpListen.port()), metrics, new HealthChecks(raft, reads,
        config.get(ConfigKeys.ELECTION_TIMEOUT_MAX)));
    started.push(http);
    http.start();
    httpAddress = httpListen.withPort(http.port()).toString();

    MemberPublisher publisher = new MemberPublisher(raft.proposer(),
        () -> raft.leaderName() != null, directory,
        PublishMember.newBuilder().setName(name).setClientAddress(clientAddress)
            .setHttpAddress(httpAddress).build());
    started.push(publisher);
    publisher.start();

    AutoCompactor compactor = new AutoCompactor(config, stateMachine, raft.proposer(), clock);
    started.push(compactor);
    raft.addLeadershipListener(compactor);
    CompactionDrainer drainer = new CompactionDrainer(stateMachine, raft.proposer());
    started.push(drainer);
    raft.addLeadershipListener(drainer);
    startDiscovery(name);
    if (config.get(ConfigKeys.AUTO_PROMOTE)) {
      AutoPromoter promoter = new AutoPromoter(membership);
      started.push(promoter);
      raft.addLeadershipListener(promoter);
    }
    LOG.info("member {} serving clients on {}, HTTP on {} (raft {})", name, clientAddress,
        httpAddress, config.peerListen());
  }

  /** Leader-only health checks and, if configured, the DNS interface. */
  private void startDiscovery(String name) throws IOException {
    NetworkProber prober = new NetworkProber(name);
    started.push(prober);
    HealthCheckRunner checks = new HealthCheckRunner(clock,
        () -> stateMachine.read((view, meta) ->
            new HealthCheckRunner.Loaded(meta.revision(), InstanceReader.all(view))),
        raft.proposer()::propose, prober, prober::reset, name);
    started.push(checks);
    stateMachine.addListener(checks);
    raft.addLeadershipListener(checks);
    metrics.gauge("coord_server_service_instances", "Service instances registered.",
        () -> stateMachine.read((view, meta) -> InstanceReader.all(view).size()));
    HostPort dnsListen = config.get(ConfigKeys.DNS_LISTEN);
    if (dnsListen != null) {
      DnsResponder responder = new DnsResponder(
          service -> stateMachine.read((view, meta) -> InstanceReader.service(view, service)),
          config.get(ConfigKeys.DNS_TTL).toSeconds());
      dns = new DnsServer(new InetSocketAddress(dnsListen.host(), dnsListen.port()), responder,
          name);
      started.push(dns);
      dns.start();
    }
  }

  /** host:port of the DNS interface, or null if it is off. */
  public String dnsAddress() {
    DnsServer server = dns;
    return server == null ? null : server.address();
  }

  private void warnIfUnsafe(String name) {
    for (ConfigKey<?> key : config.unsafeKeysEnabled()) {
      for (int i = 0; i < 3; i++) {
        LOG.error("!!! UNSAFE TEST-ONLY MODE on member {}: {}=true. {} Never run a real cluster"
            + " like this.", name, key.name(), key.description());
      }
    }
  }

  private void fatal(String reason) {
    failed = true;
    onFatal.accept(reason);
  }

  /** Removed from the cluster: stop serving (in the background: Ratis is calling). */
  private void removed(String reason) {
    removed = true;
    Thread stopper = new Thread(() -> {
      close();
      LOG.warn("member {} stopped: removed from the cluster ({})", name(), reason);
      onRemoved.accept(reason);
    }, "coord-removed-" + name());
    stopper.setDaemon(true);
    stopper.start();
  }

  /** True once the member was removed from the cluster (it then stops serving). */
  public boolean removed() {
    return removed;
  }

  /** The member name. */
  public String name() {
    return config.get(ConfigKeys.NAME);
  }

  /** host:port where this member serves clients. */
  public String clientAddress() {
    return clientAddress;
  }

  /** host:port of the member's HTTP endpoint (metrics and health). */
  public String httpAddress() {
    return httpAddress;
  }

  /** The member's metrics; features add gauges here. */
  public CoordMetrics metrics() {
    return metrics;
  }

  public ServerConfig config() {
    return config;
  }

  /** The election watchdog, if coord.raft.election-watchdog is on. */
  public java.util.Optional<ElectionWatchdog> electionWatchdog() {
    return java.util.Optional.ofNullable(electionWatchdog);
  }

  /**
   * This member's link to the process of the leader it follows (kept open by the election
   * watchdog, so never opened while coord.raft.election-watchdog is off).
   */
  public LeaderLink leaderLink() {
    return leaderLink;
  }

  public RaftNode raft() {
    return raft;
  }

  public CoordStateMachine stateMachine() {
    return stateMachine;
  }

  /** The member's watch hub. */
  public WatchHub watches() {
    return watches;
  }

  /** True once the member stopped serving on its own (see the constructor). */
  public boolean failed() {
    return failed;
  }

  /** Stops every part, newest first, waiting for each. */
  @Override
  public synchronized void close() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", part.getClass().getSimpleName(), e.toString());
      }
    }
    if (stateMachine != null) {
      stateMachine.close();
    }
  }
}
