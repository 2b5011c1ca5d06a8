package io.coord.server.raft;

import io.coord.server.config.ConfigKeys;
import io.coord.server.config.PeerSpec;
import io.coord.server.config.ServerConfig;
import io.coord.server.error.CoordError;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.time.Clock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.CommitInfoProto;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.proto.RaftProtos.ServerRpcProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientAsynchronousProtocol;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.exceptions.AlreadyClosedException;
import org.apache.ratis.protocol.exceptions.ReadException;
import org.apache.ratis.protocol.exceptions.ServerNotReadyException;
import org.apache.ratis.retry.ExponentialBackoffRetry;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member's Raft machinery: the Ratis server hosting the state machine, the client it
 * proposes through, linearizable read points and leadership notifications. The only class
 * outside this package's helpers that touches Ratis types.
 */
public final class RaftNode implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RaftNode.class);

  private final ServerConfig config;
  private final Clock clock;
  private final long startedNanos;
  private final RaftPeerId selfId;
  private final RaftGroup group;
  private final RatisStateMachine ratisStateMachine;
  private final LeadershipEvents leadership;
  private final ExecutorService completions;
  private final ClientId readClientId = ClientId.randomId();
  private final ClientId localProposalClientId = ClientId.randomId();
  private final AtomicLong localProposalCallIds = new AtomicLong();
  private final AtomicLong readCallIds = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Consumer<String> onUnexpectedStop;
  private final Consumer<String> onRemoved;
  private final CompletableFuture<String> removed = new CompletableFuture<>();
  private final ExecutorService stopClassifier;
  private volatile java.util.function.BiPredicate<String, Long> leaderGone = (l, t) -> false;
  private volatile LongFunction<CompletableFuture<Boolean>> readTermHeld =
      term -> CompletableFuture.completedFuture(false);
  private RaftServer server;
  private Proposer proposer;
  private ReadBarrier readBarrier;
  private StalledLinkGuard linkGuard;

  /**
   * @param onUnexpectedStop told when the Raft server stops without being asked to
   * @param onRemoved told when this member was removed from the cluster (its Raft server has
   *     stopped)
   */
  public RaftNode(ServerConfig config, CoordStateMachine stateMachine, Clock clock,
      Consumer<String> onUnexpectedStop, Consumer<String> onRemoved) {
    this.config = config;
    this.clock = clock;
    this.startedNanos = clock.monotonicNanos();
    this.onUnexpectedStop = onUnexpectedStop;
    this.onRemoved = onRemoved;
    this.selfId = RaftPeerId.valueOf(config.get(ConfigKeys.NAME));
    this.group = RaftGroup.valueOf(groupId(config.get(ConfigKeys.CLUSTER_TOKEN)),
        initialPeers(config));
    this.stopClassifier = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "coord-raft-stop-" + selfId);
      t.setDaemon(true);
      return t;
    });
    this.leadership = new LeadershipEvents(selfId.toString());
    this.completions = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "coord-raft-replies-" + selfId);
      t.setDaemon(true);
      return t;
    });
    this.ratisStateMachine = new RatisStateMachine(stateMachine, clock, leadership,
        this::divisionStopped, this::removedFromGroup);
  }

  /** The Raft group id of a cluster token: fixed, so every member derives the same one. */
  static RaftGroupId groupId(String clusterToken) {
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(
        ("coord-cluster/" + clusterToken).getBytes(StandardCharsets.UTF_8)));
  }

  /**
   * The group a member starts with. A founding member starts with every initial member as a
   * voter. A joining member (initial-state existing) starts as a listener of the members it
   * names: Ratis then runs it as a learner that the leader can add (a member started with an
   * empty group would stay STARTING once added as a listener), and turns it into a follower
   * when a configuration naming it a voter arrives. On restart the persisted configuration
   * overrides either.
   */
  private static List<RaftPeer> initialPeers(ServerConfig config) {
    boolean joining = config.get(ConfigKeys.INITIAL_STATE) == ConfigKeys.InitialState.EXISTING;
    String self = config.get(ConfigKeys.NAME);
    List<RaftPeer> peers = new ArrayList<>();
    for (PeerSpec spec : config.get(ConfigKeys.INITIAL_MEMBERS)) {
      RaftPeer.Builder peer = RaftPeer.newBuilder().setId(spec.name())
          .setAddress(spec.peerAddress().toString());
      if (joining && spec.name().equals(self)) {
        peer.setStartupRole(RaftPeerRole.LISTENER);
      }
      peers.add(peer.build());
    }
    return peers;
  }

  private static RaftPeer peer(RaftMember member) {
    return RaftPeer.newBuilder().setId(member.name()).setAddress(member.peerAddress())
        .setStartupRole(member.learner() ? RaftPeerRole.LISTENER : RaftPeerRole.FOLLOWER)
        .build();
  }

  /** Starts the Raft server (recovering its log and state) and the proposal client. */
  public void start() throws IOException {
    Path raftDir = config.dataDir().resolve("raft");
    Files.createDirectories(raftDir);
    server = RaftServer.newBuilder()
        .setServerId(selfId)
        .setGroup(group)
        .setStateMachine(ratisStateMachine)
        .setProperties(serverProperties(config, raftDir))
        .setOption(RaftStorage.StartupOption.RECOVER)
        .build();
    server.start();
    proposer = new Proposer(this::newProposalClient, this::submitIfLeader, this::isLeaderReady,
        this::electing, this::leaderName, config.get(ConfigKeys.ELECTION_TIMEOUT_MAX),
        config.get(ConfigKeys.BATCH_MAX_COMMANDS).intValue(),
        config.get(ConfigKeys.BATCH_MAX_BYTES), config.get(ConfigKeys.MAX_INFLIGHT_BATCHES)
        .intValue(), completions);
    addLeadershipListener(new LeadershipListener() {
      @Override
      public void onLeaderReady(long term) {
        proposer.leaderReady();
      }

      @Override
      public void onLeadershipLost() {
        // Forwarded entries go on through the client.
      }
    });
    leadership.onLeaderChange(proposer::leaderChanged);
    readBarrier = new ReadBarrier(this::readRound, completions);
    Duration electionMin = config.get(ConfigKeys.ELECTION_TIMEOUT_MIN);
    linkGuard = new StalledLinkGuard(selfId.toString(), this::status, this::reconnect, clock,
        config.get(ConfigKeys.ELECTION_TIMEOUT_MAX), electionMin.dividedBy(2));
  }

  /**
   * A Ratis client for proposals, over the current configuration (it may differ from the initial
   * one; Ratis clients address voters only), aimed at the leader this member knows.
   */
  private RaftClient newProposalClient() {
    RaftGroup current = RaftGroup.valueOf(group.getGroupId(),
        division().getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER));
    RaftClient.Builder builder = RaftClient.newBuilder()
        .setRaftGroup(current)
        .setProperties(clientProperties())
        .setClientId(ClientId.randomId())
        .setRetryPolicy(writeRetryPolicy());
    String leader = leaderName();
    if (leader != null) {
      builder.setLeaderId(RaftPeerId.valueOf(leader));
    }
    return builder.build();
  }

  static final org.apache.ratis.util.SizeInBytes PREALLOCATED_SEGMENT_BYTES =
      org.apache.ratis.util.SizeInBytes.valueOf("256KB");

  /** The Ratis server settings of a member; see docs/architecture.md for the defaults replaced. */
  static RaftProperties serverProperties(ServerConfig config, Path raftDir) {
    RaftProperties p = new RaftProperties();
    RaftServerConfigKeys.setStorageDir(p, List.of(raftDir.toFile()));
    GrpcConfigKeys.Server.setHost(p, config.peerListen().host());
    GrpcConfigKeys.Server.setPort(p, config.peerListen().port());
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(config.get(ConfigKeys.ELECTION_TIMEOUT_MIN)));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(config.get(ConfigKeys.ELECTION_TIMEOUT_MAX)));
    RaftServerConfigKeys.Rpc.setRequestTimeout(p,
        millis(config.get(ConfigKeys.RAFT_REQUEST_TIMEOUT)));
    RaftServerConfigKeys.Log.Appender.setRetryPolicy(p, appenderRetryPolicy(config));
    // A leader that lost its quorum sits out elections this long (Ratis's default is 10 s). It
    // may hold the only log a majority can elect, so one election timeout is all it can spare;
    // pre-vote keeps a cut-off member's campaigns from disturbing the others. Ratis also steps
    // a leader down after a JVM pause this long, by which time a follower may have campaigned.
    RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p,
        millis(config.get(ConfigKeys.ELECTION_TIMEOUT_MAX)));
    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    // Read rounds confirm the term themselves (confirmReadTermsWith): the leader's heartbeat
    // round would be a second confirmation, and a weaker one.
    RaftServerConfigKeys.Read.setLeaderHeartbeatCheckEnabled(p, false);
    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    // Stopping stays quick; a restart replays from the last snapshot, skipping what the state
    // store already holds.
    RaftServerConfigKeys.Snapshot.setTriggerWhenStopEnabled(p, false);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p,
        config.get(ConfigKeys.SNAPSHOT_THRESHOLD));
    RaftServerConfigKeys.Snapshot.setCreationGap(p,
        Math.min(1024, config.get(ConfigKeys.SNAPSHOT_THRESHOLD)));
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p,
        config.get(ConfigKeys.SNAPSHOT_RETAIN).intValue());
    // Commit-index metadata entries would double the log entries (and fsyncs) per write; a
    // restarted member learns the commit index from the leader instead.
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    // Composed appends count a follower's queued entries as present and acknowledge, without
    // appending, a resend that starts where a queued append does: a deposed leader applied its
    // uncommitted tail, and a leader counted entries its follower lacked (FollowerAppendTest).
    RaftServerConfigKeys.Log.setAppendEntriesComposeEnabled(p, false);
    // Ratis holds an entry back until 1 ms after the previous message to that follower, and
    // any remaining wait sleeps ~1.1 ms (Java 17 rounds Thread.sleep up to a millisecond), so
    // most lone writes waited; a shorter setting sleeps as long.
    RaftServerConfigKeys.Log.Appender.setWaitTimeMin(p, TimeDuration.ZERO);
    // Followers hear of each commit at once, not with the next entry or heartbeat.
    RaftConfigKeys.Rpc.setType(p, new CommitNoticeRpc());
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, config.get(ConfigKeys.LOG_PURGE_GAP).intValue());
    RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, config.get(ConfigKeys.LOG_PRESERVE));
    long segmentBytes = config.get(ConfigKeys.LOG_SEGMENT_SIZE);
    RaftServerConfigKeys.Log.setSegmentSizeMax(p,
        org.apache.ratis.util.SizeInBytes.valueOf(segmentBytes));
    // Ratis keeps every entry of the open segment in memory, and of up to 6 closed segments
    // (200 MB) once they are applied and on every follower: with 32 MiB segments, a minute of
    // writes filled a 256 MiB heap. Two closed segments are enough for a follower a few
    // seconds behind; one further behind is served from the files.
    RaftServerConfigKeys.Log.setSegmentCacheNumMax(p, CACHED_CLOSED_SEGMENTS);
    RaftServerConfigKeys.Log.setSegmentCacheSizeMax(p,
        org.apache.ratis.util.SizeInBytes.valueOf((CACHED_CLOSED_SEGMENTS + 1) * segmentBytes));
    // Ratis preallocates a segment by writing filler bytes (4 MiB by default), which the next
    // fsync then flushes: a 10-30 ms stall each time, on the path of the first entry of every
    // new term (a new leader rolls the segment, and so do its followers).
    RaftServerConfigKeys.Log.setPreallocatedSize(p, PREALLOCATED_SEGMENT_BYTES);
    RaftServerConfigKeys.RetryCache.setExpiryTime(p, retryCacheExpiry(config));
    return p;
  }

  /**
   * A client for membership requests, sent to {@code leader} first (the current leader's name
   * if null): membership changes are decided on the leader, which sends them to itself.
   */
  private RaftClient newAdminClient(String leader) {
    RaftProperties properties = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(properties,
        millis(config.get(ConfigKeys.DEFAULT_REQUEST_TIMEOUT).multipliedBy(6)));
    RaftClient.Builder builder = RaftClient.newBuilder()
        .setRaftGroup(RaftGroup.valueOf(group.getGroupId(),
            division().getRaftConf().getCurrentPeers(RaftPeerRole.FOLLOWER)))
        .setProperties(properties)
        .setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(20,
            TimeDuration.valueOf(250, TimeUnit.MILLISECONDS)));
    String target = leader != null ? leader : leaderName();
    if (target != null) {
      builder.setLeaderId(RaftPeerId.valueOf(target));
    }
    return builder.build();
  }

  private RaftProperties clientProperties() {
    RaftProperties p = new RaftProperties();
    RaftClientConfigKeys.Rpc.setRequestTimeout(p,
        millis(config.get(ConfigKeys.RAFT_REQUEST_TIMEOUT)));
    RaftClientConfigKeys.Async.setOutstandingRequestsMax(p,
        4 * config.get(ConfigKeys.MAX_INFLIGHT_BATCHES).intValue());
    return p;
  }

  /**
   * Proposals retry through leader changes for as long as a client would wait. The backoff
   * stays short: after an election the next attempt is what the writes wait for, and an attempt
   * that finds no leader yet costs one loopback round trip.
   */
  private RequestTypeDependentRetryPolicy writeRetryPolicy() {
    ExponentialBackoffRetry backoff = ExponentialBackoffRetry.newBuilder()
        .setBaseSleepTime(TimeDuration.valueOf(5, TimeUnit.MILLISECONDS))
        .setMaxSleepTime(TimeDuration.valueOf(20, TimeUnit.MILLISECONDS))
        .setMaxAttempts(Integer.MAX_VALUE)
        .build();
    return RequestTypeDependentRetryPolicy.newBuilder()
        .setRetryPolicy(RaftClientRequestProto.TypeCase.WRITE, backoff)
        .setTimeout(RaftClientRequestProto.TypeCase.WRITE, millis(proposalRetryWindow(config)))
        .build();
  }

  /**
   * How long a member remembers the reply to each entry (Ratis's retry cache). A retried
   * forwarded proposal must still find its entry there (RATIS-1873), so it outlives the last
   * retry: proposals retry for the default request timeout, each attempt for at most a Raft
   * request timeout, plus a margin. Not longer: the cache holds a reply per entry, and at
   * thousands of entries a second a minute of them filled a 256 MiB heap and the members
   * spent their time collecting garbage.
   */
  static TimeDuration retryCacheExpiry(ServerConfig config) {
    return TimeDuration.valueOf(proposalRetryWindow(config).toMillis()
        + config.get(ConfigKeys.RAFT_REQUEST_TIMEOUT).toMillis() + RETRY_CACHE_MARGIN_MS,
        TimeUnit.MILLISECONDS);
  }

  /** How long a forwarded proposal keeps retrying: as long as a client would wait. */
  static Duration proposalRetryWindow(ServerConfig config) {
    return config.get(ConfigKeys.DEFAULT_REQUEST_TIMEOUT);
  }

  private static final long RETRY_CACHE_MARGIN_MS = 2_000;

  /** Closed Raft log segments whose entries Ratis keeps in memory. */
  static final int CACHED_CLOSED_SEGMENTS = 2;

  /**
   * How long the leader waits between attempts to a follower that keeps failing: at most a
   * heartbeat interval (half the minimum election timeout, randomized by Ratis to 0.5-1.5x).
   * Ratis's default backs off to 5 s after 30 errors, which a partition of a few seconds
   * reaches; a follower whose partition healed then stayed useless to the leader for up to
   * 7.5 s, and the next fault to another follower cost the leader its quorum.
   */
  private static String appenderRetryPolicy(ServerConfig config) {
    long heartbeatMs = Math.max(1, config.get(ConfigKeys.ELECTION_TIMEOUT_MIN).toMillis() / 2);
    return "1ms,10, " + heartbeatMs + "ms," + Integer.MAX_VALUE;
  }

  private static TimeDuration millis(Duration duration) {
    return TimeDuration.valueOf(duration.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Appends {@code entry} through the local server when this member leads: no network hop and no
   * second serialization. Empty when this member is not the ready leader (send through the
   * client instead).
   */
  private java.util.Optional<CompletableFuture<RaftClientReply>> submitIfLeader(byte[] entry) {
    RaftServer.Division division;
    try {
      division = server.getDivision(group.getGroupId());
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
    if (!division.getInfo().isLeaderReady()) {
      return java.util.Optional.empty();
    }
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(localProposalClientId)
        .setServerId(selfId)
        .setGroupId(group.getGroupId())
        .setCallId(localProposalCallIds.incrementAndGet())
        .setMessage(RaftMessages.message(entry))
        .setType(RaftClientRequest.writeRequestType())
        .build();
    try {
      return java.util.Optional.of(clientProtocol(division).submitClientRequestAsync(request));
    } catch (IOException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Where local requests go in: the division itself when it takes them (Ratis's server does),
   * else the server. The server's entry point hands every request to a pooled thread and
   * blocks the caller until that thread has appended it: two thread wake-ups per request on
   * the way to the log, for nothing, since appending does not block.
   */
  private RaftClientAsynchronousProtocol clientProtocol(RaftServer.Division division) {
    return division instanceof RaftClientAsynchronousProtocol direct ? direct : server;
  }

  /**
   * Tells this member how to know that the process of the leader it follows is gone before an
   * election starts (the leader's name and term in; see {@code LeaderLink}): commands then wait
   * for the next leader here instead of chasing the dead one through the Ratis client.
   */
  public void considerLeaderGoneWhen(java.util.function.BiPredicate<String, Long> gone) {
    this.leaderGone = gone;
  }

  /**
   * Sets how a read round confirms that the term this member is in was still the newest to
   * elect a leader after the round began ({@code TermCheck}). Ratis's ReadIndex alone does not
   * show it: a leader answers at once, from an acknowledgement gathered earlier, when its commit
   * index has not moved since its last confirmed read, which is what a leader frozen for a while
   * (a stopped process) or cut off sees while the others elect a new leader and commit writes
   * without it. Until this is set, linearizable reads fail.
   */
  public void confirmReadTermsWith(LongFunction<CompletableFuture<Boolean>> termHeld) {
    this.readTermHeld = termHeld;
  }

  /** Call when what {@link #considerLeaderGoneWhen} reports changed back: held commands go on. */
  public void leaderFoundAgain() {
    proposer.leaderChanged();
  }

  /**
   * An election is under way here: campaigning, elected but not ready, no leader known, or the
   * leader's process known to be gone.
   */
  private boolean electing() {
    try {
      var info = server.getDivision(group.getGroupId()).getInfo();
      if (info.isLeader()) {
        return !info.isLeaderReady();
      }
      RaftPeerId leader = info.getLeaderId();
      return info.isCandidate() || leader == null
          || leaderGone.test(leader.toString(), info.getCurrentTerm());
    } catch (IOException e) {
      return false;
    }
  }

  private boolean isLeaderReady() {
    try {
      return server.getDivision(group.getGroupId()).getInfo().isLeaderReady();
    } catch (IOException e) {
      return false;
    }
  }

  /** Ratis's ReadIndex and, at the same time, a majority confirming this member's term. */
  private CompletableFuture<Void> readRound() {
    long term = currentTerm();
    CompletableFuture<Boolean> termHeld = readTermHeld.apply(term);
    return readIndexRound().thenCombine(termHeld, (ignored, held) -> {
      if (!held) {
        throw new CompletionException(CoordError.noLeader("this member's term " + term
            + " was not confirmed by a majority of voters: a newer leader may have been"
            + " elected"));
      }
      return null;
    });
  }

  private CompletableFuture<Void> readIndexRound() {
    RaftClientRequest request = RaftClientRequest.newBuilder()
        .setClientId(readClientId)
        .setServerId(selfId)
        .setGroupId(group.getGroupId())
        .setCallId(readCallIds.incrementAndGet())
        .setMessage(RaftMessages.message(RatisStateMachine.BARRIER))
        .setType(RaftClientRequest.readRequestType())
        .build();
    CompletableFuture<RaftClientReply> reply;
    try {
      reply = clientProtocol(server.getDivision(group.getGroupId()))
          .submitClientRequestAsync(request);
    } catch (IOException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.handle((r, error) -> {
      Throwable cause = error != null ? error : r.isSuccess() ? null : r.getException();
      if (cause != null) {
        throw new CompletionException(readFailure(cause));
      }
      return null;
    });
  }

  private static CoordError readFailure(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null
        ? error.getCause() : error;
    if (cause instanceof ReadException || cause instanceof ServerNotReadyException
        || cause instanceof AlreadyClosedException) {
      return CoordError.notReady("cannot serve a linearizable read now (" + cause.getMessage()
          + ")");
    }
    return CoordError.noLeader("cannot confirm a linearizable read point (" + cause.getMessage()
        + ")");
  }

  public Proposer proposer() {
    return proposer;
  }

  public ReadBarrier readBarrier() {
    return readBarrier;
  }

  public void addLeadershipListener(LeadershipListener listener) {
    leadership.addListener(listener);
  }

  public String name() {
    return selfId.toString();
  }

  /** The Raft group id as a UUID string. */
  public String groupId() {
    return group.getGroupId().getUuid().toString();
  }

  private RaftServer.Division division() {
    try {
      return server.getDivision(group.getGroupId());
    } catch (IOException e) {
      throw CoordError.notReady("the Raft group is not running (" + e.getMessage() + ")");
    }
  }

  /** True while the Raft server of this member runs. */
  public boolean isAlive() {
    try {
      return division().getInfo().isAlive();
    } catch (CoordError notRunning) {
      return false;
    }
  }

  public boolean isLeader() {
    return division().getInfo().isLeader();
  }

  /** The current term, or 0 while the Raft server is not running (for log lines). */
  public long currentTermOrZero() {
    try {
      return currentTerm();
    } catch (RuntimeException notRunning) {
      return 0;
    }
  }

  public long currentTerm() {
    return division().getInfo().getCurrentTerm();
  }

  /** The current leader's name, or null if none is known. */
  public String leaderName() {
    RaftPeerId leader = division().getInfo().getLeaderId();
    return leader == null ? null : leader.toString();
  }

  /** What this member knows of its leader now. */
  public LeaderContact leaderContact() {
    RaftServer.Division division = division();
    var info = division.getInfo();
    TermIndex last = division.getRaftLog().getLastEntryTermIndex();
    long lastTerm = last == null ? 0 : last.getTerm();
    long lastIndex = last == null ? 0 : last.getIndex();
    RaftPeerId leader = info.getLeaderId();
    String leaderName = leader == null ? null : leader.toString();
    long term = info.getCurrentTerm();
    long upMs = TimeUnit.NANOSECONDS.toMillis(clock.monotonicNanos() - startedNanos);
    if (leader == null || !info.isFollower()) {
      return new LeaderContact(name(), term, leaderName, false, 0, lastTerm, lastIndex, upMs);
    }
    RoleInfoProto role;
    try {
      role = info.getRoleInfoProto();
    } catch (RuntimeException leaderNotInConfiguration) {
      return new LeaderContact(name(), term, leaderName, false, 0, lastTerm, lastIndex, upMs);
    }
    if (!role.hasFollowerInfo() || role.getFollowerInfo().getOutstandingOp() > 0) {
      // A follower busy with a message from the leader has heard from it.
      return new LeaderContact(name(), term, leaderName, role.hasFollowerInfo(), 0, lastTerm,
          lastIndex, upMs);
    }
    long silence = role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs();
    return new LeaderContact(name(), term, leaderName, true, silence, lastTerm, lastIndex,
        upMs);
  }

  /**
   * Makes this member a candidate now, skipping Ratis's pre-vote and its randomized timer, if it
   * still follows {@code leader} in {@code term} and its own log ends in that term (Ratis refuses
   * otherwise). The caller has established what pre-vote would: a majority of voters no longer
   * hear from the leader.
   *
   * @return true if the election started
   */
  public boolean campaign(String leader, long term) {
    RaftServer.Division division = division();
    TermIndex last = division.getRaftLog().getLastEntryTermIndex();
    if (last == null || last.getTerm() != term || division.getInfo().getCurrentTerm() != term) {
      return false;
    }
    StartLeaderElectionRequestProto request = StartLeaderElectionRequestProto.newBuilder()
        .setServerRequest(RaftRpcRequestProto.newBuilder()
            .setRequestorId(RaftPeerId.valueOf(leader).toByteString())
            .setReplyId(selfId.toByteString())
            .setRaftGroupId(RaftGroupIdProto.newBuilder()
                .setId(group.getGroupId().toByteString())))
        .setLeaderLastEntry(last.toProto())
        .build();
    try {
      return server.startLeaderElection(request).getServerReply().getSuccess();
    } catch (IOException notRunning) {
      return false;
    }
  }

  /** Members of the current Raft configuration. */
  public List<RaftMember> members() {
    var conf = division().getRaftConf();
    List<RaftMember> members = new ArrayList<>();
    for (RaftPeer peer : conf.getCurrentPeers(RaftPeerRole.FOLLOWER)) {
      members.add(new RaftMember(peer.getId().toString(), peer.getAddress(), false));
    }
    for (RaftPeer peer : conf.getCurrentPeers(RaftPeerRole.LISTENER)) {
      members.add(new RaftMember(peer.getId().toString(), peer.getAddress(), true));
    }
    return members;
  }

  /** True when no membership change is under way (the configuration is not transitional). */
  public boolean configurationStable() {
    var conf = division().getRaftConf();
    return conf.getPreviousPeers(RaftPeerRole.FOLLOWER).isEmpty()
        && conf.getPreviousPeers(RaftPeerRole.LISTENER).isEmpty();
  }

  /**
   * Replaces the configuration {@code (currentVoters, currentLearners)} by
   * {@code (newVoters, newLearners)}, failing if the configuration changed meanwhile. Blocks
   * until the leader committed it (new members catch up first). Runs on the leader or anywhere:
   * the request goes to the leader.
   *
   * @throws CoordError MEMBERSHIP_REFUSED when Ratis refuses the change, NO_LEADER when it
   *     cannot reach the leader
   */
  public void changeConfiguration(List<RaftMember> currentVoters,
      List<RaftMember> currentLearners, List<RaftMember> newVoters,
      List<RaftMember> newLearners) {
    SetConfigurationRequest.Arguments arguments = SetConfigurationRequest.Arguments.newBuilder()
        .setMode(SetConfigurationRequest.Mode.COMPARE_AND_SET)
        .setServersInCurrentConf(currentVoters.stream().map(RaftNode::peer).toList())
        .setListenersInCurrentConf(currentLearners.stream().map(RaftNode::peer).toList())
        .setServersInNewConf(newVoters.stream().map(RaftNode::peer).toList())
        .setListenersInNewConf(newLearners.stream().map(RaftNode::peer).toList())
        .build();
    LOG.info("changing the configuration: voters {} learners {} -> voters {} learners {}",
        names(currentVoters), names(currentLearners), names(newVoters), names(newLearners));
    RaftClientReply reply;
    try (RaftClient admin = newAdminClient(null)) {
      reply = admin.admin().setConfiguration(arguments);
    } catch (IOException e) {
      throw membershipFailure("the configuration change failed", e);
    }
    if (!reply.isSuccess()) {
      throw membershipFailure("the configuration change failed", reply.getException());
    }
    LOG.info("configuration changed: voters {} learners {}", names(newVoters),
        names(newLearners));
  }

  /** Makes {@code name} the leader; blocks until it leads or {@code timeout} passed. */
  public void transferLeadership(String name, Duration timeout) {
    LOG.info("transferring leadership to {}", name);
    RaftClientReply reply;
    try (RaftClient admin = newAdminClient(null)) {
      reply = admin.admin().transferLeadership(RaftPeerId.valueOf(name), timeout.toMillis());
    } catch (IOException e) {
      throw membershipFailure("transferring leadership to " + name + " failed", e);
    }
    if (!reply.isSuccess()) {
      throw membershipFailure("transferring leadership to " + name + " failed",
          reply.getException());
    }
  }

  /**
   * Tells a member that was removed from the configuration to stop: Ratis stops a removed voter
   * only when it next campaigns and never stops a removed listener. Best effort: a dead member
   * is not told.
   */
  public void tellRemoved(RaftMember member) {
    RaftPeer removedPeer = peer(member);
    try (RaftClient direct = RaftClient.newBuilder()
        .setRaftGroup(RaftGroup.valueOf(group.getGroupId(), removedPeer))
        .setProperties(clientProperties())
        .setClientId(ClientId.randomId())
        .setRetryPolicy(RetryPolicies.retryUpToMaximumCountWithFixedSleep(3,
            TimeDuration.valueOf(200, TimeUnit.MILLISECONDS)))
        .build()) {
      direct.getGroupManagementApi(removedPeer.getId()).remove(group.getGroupId(), false, false);
    } catch (IOException | RuntimeException e) {
      LOG.info("could not tell removed member {} to stop ({}); it stops when it next campaigns",
          member.name(), e.getMessage());
    }
  }

  private static List<String> names(List<RaftMember> members) {
    return members.stream().map(RaftMember::name).toList();
  }

  private static CoordError membershipFailure(String what, Throwable error) {
    Throwable cause = error;
    while ((cause instanceof CompletionException
        || cause instanceof java.util.concurrent.ExecutionException)
        && cause.getCause() != null) {
      cause = cause.getCause();
    }
    String detail = cause == null ? "unknown reason" : cause.getClass().getSimpleName() + ": "
        + cause.getMessage();
    if (cause instanceof org.apache.ratis.protocol.exceptions.RaftException
        && !(cause instanceof org.apache.ratis.protocol.exceptions.NotLeaderException)
        && !(cause instanceof AlreadyClosedException)) {
      return new CoordError(io.coord.proto.v1.ErrorReason.MEMBERSHIP_REFUSED,
          what + ": " + detail);
    }
    return CoordError.noLeader(what + " (" + detail + ")");
  }

  public RaftStatus status() {
    RaftServer.Division division = division();
    var info = division.getInfo();
    RoleInfoProto role = info.getRoleInfoProto();
    Map<String, RaftStatus.FollowerProgress> followers = new HashMap<>();
    if (info.isLeader() && role.hasLeaderInfo()) {
      Map<String, Long> commits = new HashMap<>();
      for (CommitInfoProto commit : division.getCommitInfos()) {
        commits.put(commit.getServer().getId().toStringUtf8(), commit.getCommitIndex());
      }
      List<ServerRpcProto> infos = role.getLeaderInfo().getFollowerInfoList();
      long[] matches = info.getFollowerMatchIndices();
      long[] nexts = info.getFollowerNextIndices();
      for (int i = 0; i < infos.size(); i++) {
        ServerRpcProto follower = infos.get(i);
        String name = follower.getId().getId().toStringUtf8();
        long match = matches != null && matches.length == infos.size() ? matches[i] : -1;
        long next = nexts != null && nexts.length == infos.size() ? nexts[i] : -1;
        followers.put(name, new RaftStatus.FollowerProgress(
            follower.getLastRpcElapsedTimeMs(), commits.getOrDefault(name, -1L), match, next));
      }
    }
    var log = division.getRaftLog();
    var last = log.getLastEntryTermIndex();
    RaftPeerId leader = info.getLeaderId();
    return new RaftStatus(info.getCurrentRole().name(), info.getCurrentTerm(),
        leader == null ? null : leader.toString(), log.getLastCommittedIndex(),
        info.getLastAppliedIndex(), last == null ? -1 : last.getIndex(), log.getStartIndex(),
        followers);
  }

  /** Bytes of the Raft log and snapshots on disk. */
  public long raftStorageBytes() {
    Path raftDir = config.dataDir().resolve("raft");
    try (Stream<Path> files = Files.walk(raftDir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    } catch (IOException | java.io.UncheckedIOException e) {
      return -1;
    }
  }

  /**
   * The Raft server stopped. When it was removed from the group, Ratis says so right after
   * closing it (notifyGroupRemove, or a vote reply telling it to shut down), so a stop is
   * reported as a failure only if no such word follows soon.
   */
  private void divisionStopped(String reason) {
    if (closing.get()) {
      return;
    }
    try {
      stopClassifier.execute(() -> {
        try {
          removed.get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException notRemoved) {
          if (!closing.get()) {
            LOG.error("member {} stopped serving: {}", selfId, reason);
            onUnexpectedStop.accept(reason);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException impossible) {
          // removed is only ever completed normally
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException stopping) {
      // Closing meanwhile.
    }
  }

  private void removedFromGroup(String reason) {
    if (closing.get() || !removed.complete(reason)) {
      return;
    }
    LOG.warn("member {} was removed from the cluster ({}); it stops serving", selfId, reason);
    onRemoved.accept(reason);
  }

  /** How often this member saw leadership move to another member since it started. */
  /**
   * Closes the Raft channel to {@code follower}; Ratis cancels its streams (after up to 3 s of
   * graceful shutdown) and opens a new connection for the next attempt. May block that long.
   */
  private void reconnect(String follower) {
    division().getRaftServer().getServerRpc().handleException(RaftPeerId.valueOf(follower),
        new IOException("no traffic to or from " + follower + " for an election timeout"), true);
  }

  /** Raft links to followers this member closed as leader because they carried nothing. */
  public long stalledLinksReconnected() {
    return linkGuard == null ? 0 : linkGuard.reconnects();
  }

  public long leaderChangesSeen() {
    return ratisStateMachine.leaderChanges();
  }

  /** Sends the duration of applying each log entry, in nanoseconds, to {@code observer}. */
  public void observeApply(java.util.function.LongConsumer observer) {
    ratisStateMachine.observeApply(observer);
  }

  /** True once this member learned it was removed from the cluster. */
  public boolean wasRemoved() {
    return removed.isDone();
  }

  @Override
  public void close() throws IOException {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    if (proposer != null) {
      proposer.close();
    }
    if (linkGuard != null) {
      linkGuard.close();
    }
    stopClassifier.shutdownNow();
    leadership.close();
    if (server != null) {
      server.close();
    }
    completions.shutdown();
  }
}
