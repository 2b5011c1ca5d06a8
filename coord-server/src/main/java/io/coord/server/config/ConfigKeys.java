package io.coord.server.config;

import java.time.Duration;
import java.util.List;

/**
 * Every server configuration key, declared once, with its default and description. The
 * README's configuration reference and {@code coord-server --help-config} are printed from here.
 */
public final class ConfigKeys {
  private ConfigKeys() {}

  /** Format of the server's log lines. */
  public enum LogFormat { TEXT, JSON }

  /** Minimum severity of the server's log lines. */
  public enum LogLevel { ERROR, WARN, INFO, DEBUG, TRACE }

  /** Whether a member founds a new cluster or joins a running one. */
  public enum InitialState { NEW, EXISTING }

  /** A boolean setting. */
  public enum Flag { TRUE, FALSE }

  // --- identity and addresses ------------------------------------------------------------

  public static final ConfigKey<String> NAME = new ConfigKey<>("coord.name", "",
      "This member's name, unique in the cluster (required), e.g. n1.", Parsers.memberName());

  public static final ConfigKey<String> DATA_DIR = new ConfigKey<>("coord.data-dir", "",
      "Directory of this member's Raft log and state; default data/<coord.name>.",
      Parsers.text());

  public static final ConfigKey<String> CLUSTER_TOKEN = new ConfigKey<>("coord.cluster.token",
      "coord", "Cluster name: members of one cluster must agree; it fixes the Raft group id.",
      Parsers.memberName());

  public static final ConfigKey<List<PeerSpec>> INITIAL_MEMBERS = new ConfigKey<>(
      "coord.cluster.initial-members", "",
      "Founding members as name=host:port of their Raft address, comma-separated (required).",
      Parsers.peers());

  public static final ConfigKey<InitialState> INITIAL_STATE = new ConfigKey<>(
      "coord.cluster.initial-state", "new",
      "new: found the cluster of initial-members; existing: join a running cluster (then add"
          + " the member with 'coord member add').", Parsers.oneOf(InitialState.class));

  public static final ConfigKey<Boolean> AUTO_PROMOTE = new ConfigKey<>(
      "coord.cluster.auto-promote", "false",
      "The leader promotes a learner to voter by itself once it caught up: true or false.",
      Parsers.oneOf(Flag.class).andThen(flag -> flag == Flag.TRUE));

  public static final ConfigKey<Long> PROMOTE_MAX_LAG = new ConfigKey<>(
      "coord.cluster.promote-max-lag", "1000",
      "A learner is promoted only when at most this many entries behind the leader's commit.",
      Parsers.longInRange(0, 1_000_000));

  public static final ConfigKey<HostPort> CLIENT_LISTEN = new ConfigKey<>("coord.client.listen",
      "127.0.0.1:7701", "Address of the client gRPC API; port 0 picks a free port.",
      Parsers.hostPort());

  public static final ConfigKey<HostPort> CLIENT_ADVERTISE = new ConfigKey<>(
      "coord.client.advertise", "",
      "Client address published to members and clients; default coord.client.listen.",
      Parsers.optionalHostPort());

  public static final ConfigKey<HostPort> PEER_LISTEN = new ConfigKey<>("coord.peer.listen", "",
      "Bind address of the Raft transport; default this member's entry in initial-members.",
      Parsers.optionalHostPort());

  public static final ConfigKey<HostPort> HTTP_LISTEN = new ConfigKey<>("coord.http.listen",
      "127.0.0.1:7721",
      "Address of the HTTP endpoint (/metrics, /health, /livez, /readyz); port 0 picks one.",
      Parsers.hostPort());

  // --- raft --------------------------------------------------------------------------------

  public static final ConfigKey<Duration> ELECTION_TIMEOUT_MIN = new ConfigKey<>(
      "coord.raft.election-timeout-min", "400ms",
      "Lower bound of the randomized election timeout; heartbeats go at half of it.",
      Parsers.duration(Duration.ofMillis(50), Duration.ofSeconds(60)));

  public static final ConfigKey<Duration> ELECTION_TIMEOUT_MAX = new ConfigKey<>(
      "coord.raft.election-timeout-max", "800ms",
      "Upper bound of the randomized election timeout; must exceed the minimum.",
      Parsers.duration(Duration.ofMillis(100), Duration.ofSeconds(120)));

  public static final ConfigKey<Boolean> ELECTION_WATCHDOG = new ConfigKey<>(
      "coord.raft.election-watchdog", "true",
      "A follower whose open stream to the leader's process broke, or that has not heard from"
          + " the leader for 3/4 x coord.raft.election-timeout-min, asks the other voters, and"
          + " starts an election at once when a majority no longer hears the leader (faster"
          + " failover than Ratis's randomized timer, which stays in place behind it): true or"
          + " false.",
      Parsers.oneOf(Flag.class).andThen(flag -> flag == Flag.TRUE));

  public static final ConfigKey<Duration> RAFT_REQUEST_TIMEOUT = new ConfigKey<>(
      "coord.raft.request-timeout", "3s",
      "Timeout of one Raft request between members (and of one forwarded proposal attempt).",
      Parsers.duration(Duration.ofMillis(100), Duration.ofMinutes(5)));


  public static final ConfigKey<Long> SNAPSHOT_THRESHOLD = new ConfigKey<>(
      "coord.raft.snapshot-threshold", "50000",
      "Log entries applied between automatic snapshots (RocksDB checkpoints).",
      Parsers.longInRange(16, 100_000_000));

  public static final ConfigKey<Long> SNAPSHOT_RETAIN = new ConfigKey<>(
      "coord.raft.snapshot-retain", "2", "Snapshots kept on disk.", Parsers.longInRange(1, 100));

  public static final ConfigKey<Long> LOG_SEGMENT_SIZE = new ConfigKey<>(
      "coord.raft.log.segment-size", "8MiB", "Size at which a Raft log segment is closed; the "
          + "open and two closed segments stay in memory.",
      Parsers.size(1L << 20, 1L << 30));

  public static final ConfigKey<Long> LOG_PURGE_GAP = new ConfigKey<>(
      "coord.raft.log.purge-gap", "1024",
      "Purge the log only when at least this many entries became purgeable.",
      Parsers.longInRange(1, 10_000_000));

  public static final ConfigKey<Long> LOG_PRESERVE = new ConfigKey<>(
      "coord.raft.log.preserve", "10000",
      "Entries kept below a snapshot after purge, so a briefly lagging member needs no snapshot.",
      Parsers.longInRange(0, 100_000_000));

  // --- limits ------------------------------------------------------------------------------

  public static final ConfigKey<Long> MAX_KEY_BYTES = new ConfigKey<>(
      "coord.limits.max-key-bytes", "4KiB", "Largest key accepted.",
      Parsers.size(1, 64 << 10));

  public static final ConfigKey<Long> MAX_VALUE_BYTES = new ConfigKey<>(
      "coord.limits.max-value-bytes", "1MiB", "Largest value accepted.",
      Parsers.size(0, 2 << 20));

  public static final ConfigKey<Long> MAX_REQUEST_BYTES = new ConfigKey<>(
      "coord.limits.max-request-bytes", "1536KiB", "Largest request accepted (serialized).",
      Parsers.size(1 << 10, 3 << 20));

  public static final ConfigKey<Long> MAX_TXN_OPS = new ConfigKey<>(
      "coord.limits.max-txn-ops", "128",
      "Most compares, and most operations per branch, in one transaction (nested ones count).",
      Parsers.longInRange(1, 10_000));

  public static final ConfigKey<Duration> DEFAULT_REQUEST_TIMEOUT = new ConfigKey<>(
      "coord.request.default-timeout", "10s",
      "Deadline of a request whose caller set none.",
      Parsers.duration(Duration.ofMillis(100), Duration.ofMinutes(10)));

  // --- compaction ----------------------------------------------------------------------------

  public static final ConfigKey<Long> COMPACTION_RETAIN_REVISIONS = new ConfigKey<>(
      "coord.compaction.retain-revisions", "100000",
      "Automatic compaction keeps at least this many revisions of history; 0 disables.",
      Parsers.longInRange(0, Long.MAX_VALUE));

  public static final ConfigKey<Duration> COMPACTION_RETAIN_PERIOD = new ConfigKey<>(
      "coord.compaction.retain-period", "0s",
      "Automatic compaction also keeps history this recent (leader's view); 0s disables.",
      Parsers.duration(Duration.ZERO, Duration.ofDays(3650)));

  public static final ConfigKey<Duration> COMPACTION_INTERVAL = new ConfigKey<>(
      "coord.compaction.interval", "10s",
      "How often the leader checks whether to compact.",
      Parsers.duration(Duration.ofMillis(100), Duration.ofHours(24)));

  // --- sessions ----------------------------------------------------------------------------

  public static final ConfigKey<Duration> SESSION_MIN_TTL = new ConfigKey<>(
      "coord.session.min-ttl", "",
      "Shortest session TTL granted (whole seconds); shorter requests are raised to it. Default "
          + SessionTtls.DEFAULT_MIN_TTL_FACTOR + " x coord.raft.election-timeout-max rounded up to"
          + " whole seconds; at least " + SessionTtls.LOWEST_MIN_TTL_FACTOR + " x that timeout.",
      Parsers.duration(Duration.ofSeconds(1), Duration.ofDays(1)));

  public static final ConfigKey<Duration> SESSION_MAX_TTL = new ConfigKey<>(
      "coord.session.max-ttl", "24h",
      "Longest session TTL granted (whole seconds); longer requests are refused.",
      Parsers.duration(Duration.ofSeconds(1), Duration.ofDays(3650)));

  // --- proposals ---------------------------------------------------------------------------

  public static final ConfigKey<Long> BATCH_MAX_COMMANDS = new ConfigKey<>(
      "coord.proposer.batch-max-commands", "256",
      "Most client writes carried by one Raft log entry.", Parsers.longInRange(1, 10_000));

  public static final ConfigKey<Long> BATCH_MAX_BYTES = new ConfigKey<>(
      "coord.proposer.batch-max-bytes", "1MiB",
      "Most bytes of client writes carried by one Raft log entry (one write may exceed it).",
      Parsers.size(1 << 10, 2 << 20));

  public static final ConfigKey<Long> MAX_INFLIGHT_BATCHES = new ConfigKey<>(
      "coord.proposer.max-inflight", "4",
      "Log entries a member has in flight at once, counted apart for entries it appends as"
          + " leader and entries it forwards to another leader; further writes are batched.",
      Parsers.longInRange(1, 256));

  // --- watches -------------------------------------------------------------------------------

  public static final ConfigKey<Long> WATCH_MAX_PER_STREAM = new ConfigKey<>(
      "coord.watch.max-watches-per-stream", "1000",
      "Most watches one Watch stream may hold at once; further creates are refused.",
      Parsers.longInRange(1, 1_000_000));

  public static final ConfigKey<Long> WATCH_MAX_BUFFERED_EVENTS = new ConfigKey<>(
      "coord.watch.max-buffered-events", "1000",
      "Events queued for one watch before it is parked and later caught up from history.",
      Parsers.longInRange(1, 10_000_000));

  public static final ConfigKey<Long> WATCH_MAX_BUFFERED_BYTES = new ConfigKey<>(
      "coord.watch.max-buffered-bytes", "4MiB",
      "Bytes of events queued for one watch before it is parked (one revision may exceed it).",
      Parsers.size(1 << 10, 1L << 30));

  public static final ConfigKey<Duration> WATCH_PROGRESS_INTERVAL = new ConfigKey<>(
      "coord.watch.progress-interval", "10s",
      "How often watches created with progress_notify get a progress notification.",
      Parsers.duration(Duration.ofMillis(10), Duration.ofHours(24)));

  // --- service discovery -------------------------------------------------------------------

  public static final ConfigKey<HostPort> DNS_LISTEN = new ConfigKey<>("coord.dns.listen", "",
      "Address (UDP and TCP) of the DNS interface for NAME.service.coord; empty: off; port 0"
          + " picks one.", Parsers.optionalHostPort());

  public static final ConfigKey<Duration> DNS_TTL = new ConfigKey<>("coord.dns.ttl", "0s",
      "TTL of DNS answers (whole seconds); 0s: resolvers must not cache them.",
      Parsers.duration(Duration.ZERO, Duration.ofHours(1)));

  // --- logging -------------------------------------------------------------------------------

  public static final ConfigKey<LogFormat> LOG_FORMAT = new ConfigKey<>("coord.log.format",
      "text", "Log line format: text or json.", Parsers.oneOf(LogFormat.class));

  public static final ConfigKey<LogLevel> LOG_LEVEL = new ConfigKey<>("coord.log.level", "info",
      "Minimum level of Coord's own log lines (Ratis and gRPC log at warn).",
      Parsers.oneOf(LogLevel.class));

  // --- unsafe: for the robustness suite only -------------------------------------------------

  /**
   * The JVM system property that must be {@code true} ({@code -Dcoord.unsafe.allow=true}) for
   * any {@link #UNSAFE} key to be set to true; without it such a configuration is refused.
   */
  public static final String UNSAFE_ALLOW_PROPERTY = "coord.unsafe.allow";

  public static final ConfigKey<Boolean> UNSAFE_LOCAL_READS = new ConfigKey<>(
      "coord.unsafe.local-linearizable-reads", "false",
      "TEST ONLY, BREAKS LINEARIZABILITY: linearizable reads are answered from the member's"
          + " local state without the ReadIndex round.",
      Parsers.oneOf(Flag.class).andThen(flag -> flag == Flag.TRUE));

  public static final ConfigKey<Boolean> UNSAFE_SKIP_DEDUPE = new ConfigKey<>(
      "coord.unsafe.skip-dedupe", "false",
      "TEST ONLY, BREAKS EXACTLY-ONCE: apply ignores the dedupe table, so a retried write may"
          + " be applied twice.",
      Parsers.oneOf(Flag.class).andThen(flag -> flag == Flag.TRUE));

  /**
   * Keys that deliberately break Coord's guarantees, so that the robustness suite
   * ({@code coord-chaos}) can show its checkers catch the breakage. They are not in
   * {@link #ALL}: no shipped configuration file or reference table lists them, and setting one
   * to true is refused unless the JVM also runs with {@link #UNSAFE_ALLOW_PROPERTY}.
   */
  public static final List<ConfigKey<?>> UNSAFE = List.of(UNSAFE_LOCAL_READS,
      UNSAFE_SKIP_DEDUPE);

  /** Every key, in documentation order. */
  public static final List<ConfigKey<?>> ALL = List.of(NAME, DATA_DIR, CLUSTER_TOKEN,
      INITIAL_MEMBERS, INITIAL_STATE, AUTO_PROMOTE, PROMOTE_MAX_LAG, CLIENT_LISTEN,
      CLIENT_ADVERTISE, PEER_LISTEN, HTTP_LISTEN, ELECTION_TIMEOUT_MIN,
      ELECTION_TIMEOUT_MAX, ELECTION_WATCHDOG, RAFT_REQUEST_TIMEOUT,
      SNAPSHOT_THRESHOLD,
      SNAPSHOT_RETAIN, LOG_SEGMENT_SIZE, LOG_PURGE_GAP, LOG_PRESERVE, MAX_KEY_BYTES,
      MAX_VALUE_BYTES,
      MAX_REQUEST_BYTES, MAX_TXN_OPS, DEFAULT_REQUEST_TIMEOUT, COMPACTION_RETAIN_REVISIONS,
      COMPACTION_RETAIN_PERIOD, COMPACTION_INTERVAL, SESSION_MIN_TTL, SESSION_MAX_TTL,
      BATCH_MAX_COMMANDS, BATCH_MAX_BYTES, MAX_INFLIGHT_BATCHES, LOG_FORMAT, LOG_LEVEL,
      WATCH_MAX_PER_STREAM, WATCH_MAX_BUFFERED_EVENTS, WATCH_MAX_BUFFERED_BYTES,
      WATCH_PROGRESS_INTERVAL, DNS_LISTEN, DNS_TTL);
}
