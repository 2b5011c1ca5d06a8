package io.coord.server.watch;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.Event;
import io.coord.proto.v1.ResponseHeader;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.config.ConfigKeys;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KvEvent;
import io.coord.server.statemachine.ApplyListener;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.storage.StoreClosedException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves every watch of one member from its applied state (etcd's watchable store, in spirit).
 *
 * <p>A <em>synced</em> watch gets the events of each applied entry from the apply thread,
 * through its stream's queue; queuing never blocks, and a watch whose queued events exceed
 * its buffer bound is <em>parked</em> (unsynced) instead. An unsynced watch (parked, or started
 * at a past revision, or re-syncing after a snapshot install) is caught up by the syncer thread
 * from the stored history, in bounded rounds read from a consistent snapshot outside the lock.
 * When a round ends at revision R and the hub has moved on to R', the events of (R, R'] come
 * from {@link RecentEvents} under the lock, and the watch is synced again: no revision is
 * queued twice or skipped, because every revision is handed to a watch either by a round or by
 * apply, and the hand-over happens under the same lock as apply's delivery.
 *
 * <p>A member that has known no leader for longer than {@link LeaderLoss}'s grace period
 * cannot tell how stale its state is: the hub then ends every stream it serves (KV watches,
 * election observations and service watches alike) with NO_LEADER, and refuses new ones the
 * same way until a leader is known again, so that clients resume from their last revision + 1
 * on a member that has one.
 *
 * <p>Nothing here reads a clock except the progress and leader timers, which are not part of
 * apply.
 */
public final class WatchHub implements ApplyListener, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);
  private static final long STORE_CLOSED_RETRY_MS = 20;
  /** watch_id of stream-wide responses. */
  static final long STREAM_WIDE = -1;

  private final CoordStateMachine stateMachine;
  private final WatchLimits limits;
  private final LongFunction<ResponseHeader> headers;
  /** Null: the member always counts as having a leader (tests of the hub alone). */
  private final LeaderLoss leaderLoss;
  private final String memberName;
  private final ScheduledExecutorService syncer;
  private final ExecutorService sender;
  private final Object lock = new Object();

  // Guarded by lock.
  private long revision;
  private final RecentEvents recent = new RecentEvents();
  private final Map<ByteString, Set<Watcher>> syncedByKey = new HashMap<>();
  private final Set<Watcher> syncedRanges = new LinkedHashSet<>();
  private final Set<WatchStream> streams = new LinkedHashSet<>();
  private boolean started;
  private boolean closed;
  /** Known no leader for longer than the grace: streams are ended and refused. */
  private boolean leaderless;
  /** Test seam: runs on the syncer between a round's history read and its hand-over. */
  volatile Runnable afterCatchUpRead = () -> { };

  /**
   * @param headers the response header at a revision (cluster, member, term filled in)
   */
  public WatchHub(CoordStateMachine stateMachine, WatchLimits limits,
      LongFunction<ResponseHeader> headers, String memberName) {
    this(stateMachine, limits, headers, memberName, null);
  }

  /**
   * @param headers the response header at a revision (cluster, member, term filled in)
   * @param leaderLoss tells when the member lost its leader for too long (null: never)
   */
  public WatchHub(CoordStateMachine stateMachine, WatchLimits limits,
      LongFunction<ResponseHeader> headers, String memberName, LeaderLoss leaderLoss) {
    this.stateMachine = stateMachine;
    this.limits = limits;
    this.headers = headers;
    this.leaderLoss = leaderLoss;
    this.memberName = memberName;
    this.syncer = Executors.newSingleThreadScheduledExecutor(
        daemon("coord-watch-sync-" + memberName));
    this.sender = Executors.newFixedThreadPool(2, daemon("coord-watch-send-" + memberName));
  }

  private static ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /**
   * Starts following the state machine. Call before serving any stream; the state machine may
   * already be applying.
   */
  public void start() {
    stateMachine.addListener(this);
    synchronized (lock) {
      // Entries applied before the listener was added are covered by the revision read here;
      // apply calls for revisions at or below it are ignored.
      revision = Math.max(revision, stateMachine.revision());
      started = true;
    }
    long interval = limits.progressInterval().toMillis();
    syncer.scheduleAtFixedRate(() -> {
      try {
        progressTick();
      } catch (RuntimeException e) {
        LOG.error("watch progress notification failed", e);
      }
    }, interval, interval, TimeUnit.MILLISECONDS);
    if (leaderLoss != null) {
      long every = leaderLoss.checkInterval().toMillis();
      syncer.scheduleWithFixedDelay(() -> {
        try {
          checkLeader();
        } catch (RuntimeException e) {
          LOG.error("watch leader check failed", e);
        }
      }, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /**
   * Looks whether the member has been without a leader past the grace period; if so, ends
   * every stream with NO_LEADER (and new ones are refused) until a leader is known again.
   * Runs on the hub's timer; package-private for tests.
   */
  void checkLeader() {
    Duration without = leaderLoss.check();
    List<WatchStream> ending;
    synchronized (lock) {
      if (closed) {
        return;
      }
      boolean was = leaderless;
      leaderless = without != null;
      if (!leaderless) {
        if (was) {
          LOG.info("member {} knows a leader again; serving watches", memberName);
        }
        return;
      }
      ending = new ArrayList<>(streams);
      if (!ending.isEmpty()) {
        LOG.warn("member {} has known no leader for {} ms (grace {} ms): ending {} watch"
            + " streams with NO_LEADER and refusing new ones", memberName, without.toMillis(),
            leaderLoss.grace().toMillis(), ending.size());
      } else if (!was) {
        LOG.info("member {} has known no leader for {} ms (grace {} ms): refusing watches",
            memberName, without.toMillis(), leaderLoss.grace().toMillis());
      }
    }
    for (WatchStream stream : ending) {
      endStream(stream, noLeader());
    }
  }

  private CoordError noLeader() {
    return CoordError.noLeader("member " + memberName + " has known no leader for longer than "
        + leaderLoss.grace().toMillis() + " ms, so its watches may be stale; watch again from"
        + " your last revision + 1 on another member");
  }

  /** Opens a stream whose responses go to {@code sink}. */
  public WatchStream openStream(ResponseSink sink) {
    WatchStream stream = new WatchStream(sink, sender, this::roomFreed, this::closeStream);
    synchronized (lock) {
      if (closed || !started) {
        stream.closed = true;
        stream.terminate(CoordError.notReady("the member is not serving watches (starting or"
            + " stopping); watch on another member"));
        return stream;
      }
      if (leaderless) {
        stream.closed = true;
        stream.terminate(noLeader());
        return stream;
      }
      streams.add(stream);
    }
    return stream;
  }

  /** Creates a watch from a validated request; refusals are answered on the stream. */
  public void create(WatchStream stream, WatchCreateRequest request) {
    synchronized (lock) {
      if (stream.closed) {
        return;
      }
      if (leaderless) {
        refuse(stream, request, noLeader());
        return;
      }
      long id = request.getWatchId();
      if (id != 0 && stream.watchers.containsKey(id)) {
        refuse(stream, request, CoordError.invalidField("create_request.watch_id",
            "watch id " + id + " is already in use on this stream"));
        return;
      }
      if (stream.watchers.size() >= limits.maxWatchesPerStream()) {
        refuse(stream, request, CoordError.limitExceeded("create_request",
            stream.watchers.size() + 1, limits.maxWatchesPerStream(), "watches on one stream",
            ConfigKeys.WATCH_MAX_PER_STREAM.name()));
        return;
      }
      if (id == 0) {
        id = stream.nextAutoId;
        while (stream.watchers.containsKey(id)) {
          id++;
        }
        stream.nextAutoId = id + 1;
      }
      long start = request.getStartRevision();
      long compact = stateMachine.compactRevision();
      if (start > 0 && start <= compact) {
        stream.enqueue(Outgoing.control(WatchResponse.newBuilder()
            .setHeader(header(revision)).setWatchId(id).setCreated(true)
            .setCanceled(true).setCompactRevision(compact)
            .setErrorReason(ErrorReason.COMPACTED)
            .setCancelReason(compactedReason(start, compact)).build(), null));
        return;
      }
      Watcher watcher = new Watcher(id, stream, request);
      stream.watchers.put(id, watcher);
      stream.enqueue(Outgoing.control(WatchResponse.newBuilder()
          .setHeader(header(revision)).setWatchId(id).setCreated(true).build(), watcher));
      if (start == 0 || start > revision) {
        watcher.floor = Math.max(watcher.floor, revision);
        watcher.reported = revision;
        addSynced(watcher);
      } else {
        park(watcher, start);
      }
    }
  }

  /** Answers a create request that cannot be served. */
  public void refuse(WatchStream stream, WatchCreateRequest request, CoordError error) {
    synchronized (lock) {
      if (stream.closed) {
        return;
      }
      stream.enqueue(Outgoing.control(WatchResponse.newBuilder()
          .setHeader(header(revision))
          .setWatchId(request.getWatchId() != 0 ? request.getWatchId() : STREAM_WIDE)
          .setCreated(true).setCanceled(true)
          .setErrorReason(error.reason()).setCancelReason(error.getMessage()).build(), null));
    }
  }

  /** Cancels a watch at the client's request; unknown ids are ignored. */
  public void cancel(WatchStream stream, long watchId) {
    synchronized (lock) {
      Watcher watcher = stream.watchers.get(watchId);
      if (watcher != null) {
        end(watcher, WatchResponse.newBuilder());
      }
    }
  }

  /** Sends a stream-wide progress notification as soon as every watch of it is synced. */
  public void requestProgress(WatchStream stream) {
    synchronized (lock) {
      if (stream.closed) {
        return;
      }
      stream.progressRequested = true;
      sendRequestedProgress(stream);
    }
  }

  /** The client went away: forget the stream and its watches. */
  public void closeStream(WatchStream stream) {
    endStream(stream, null);
  }

  /** The client finished sending: end its watches and complete the stream. */
  public void finishStream(WatchStream stream) {
    endStream(stream, null);
  }

  private void endStream(WatchStream stream, CoordError error) {
    synchronized (lock) {
      if (!stream.closed) {
        stream.closed = true;
        for (Watcher watcher : stream.watchers.values()) {
          removeSynced(watcher);
          watcher.state = Watcher.State.CANCELED;
        }
        stream.watchers.clear();
        streams.remove(stream);
      }
    }
    stream.terminate(error);
  }

  // --- apply ---------------------------------------------------------------------------------

  @Override
  public void onApplied(long index, long appliedRevision, List<KvEvent> events) {
    synchronized (lock) {
      if (closed) {
        return;
      }
      int i = 0;
      while (i < events.size()) {
        long eventRevision = events.get(i).revision();
        int end = i;
        while (end < events.size() && events.get(end).revision() == eventRevision) {
          end++;
        }
        if (eventRevision > revision) {
          List<KvEvent> group = events.subList(i, end);
          try {
            deliverLive(eventRevision, group);
          } catch (RuntimeException e) {
            // Never let a watch problem reach apply; the watches catch up from history.
            LOG.error("live watch delivery of revision {} failed; re-syncing every watch",
                eventRevision, e);
            for (Watcher watcher : syncedWatchers()) {
              park(watcher, Math.max(watcher.floor + 1, eventRevision));
            }
          }
          recent.add(eventRevision, group);
          revision = eventRevision;
        }
        i = end;
      }
      revision = Math.max(revision, appliedRevision);
    }
  }

  @Override
  public void onStateReplaced(long index, long newRevision) {
    synchronized (lock) {
      long before = revision;
      if (newRevision < before) {
        LOG.warn("state replaced by an older one (revision {} < {}); watches wait for the"
            + " revisions they already have", newRevision, before);
      }
      recent.clear();
      revision = newRevision;
      for (Watcher watcher : syncedWatchers()) {
        park(watcher, Math.max(before + 1, watcher.floor + 1));
      }
    }
  }

  private List<Watcher> syncedWatchers() {
    List<Watcher> synced = new ArrayList<>(syncedRanges);
    syncedByKey.values().forEach(synced::addAll);
    return synced;
  }

  /** The header at {@code at}; without the member's fields if they cannot be read now. */
  private ResponseHeader header(long at) {
    try {
      return headers.apply(at);
    } catch (RuntimeException stopping) {
      return ResponseHeader.newBuilder().setRevision(at).build();
    }
  }

  /** Queues one revision's events for every synced watch they match. Under lock. */
  private void deliverLive(long eventRevision, List<KvEvent> group) {
    Map<Watcher, List<Event>> matched = new LinkedHashMap<>();
    Event[] plain = new Event[group.size()];
    Event[] withPrev = new Event[group.size()];
    for (int e = 0; e < group.size(); e++) {
      KvEvent event = group.get(e);
      byte[] key = event.kv().getKey().toByteArray();
      Set<Watcher> byKey = syncedByKey.get(event.kv().getKey());
      if (byKey != null) {
        for (Watcher watcher : byKey) {
          match(watcher, event, key, e, plain, withPrev, matched);
        }
      }
      for (Watcher watcher : syncedRanges) {
        match(watcher, event, key, e, plain, withPrev, matched);
      }
    }
    for (Map.Entry<Watcher, List<Event>> entry : matched.entrySet()) {
      Watcher watcher = entry.getKey();
      Responses responses = new Responses(watcher, this::header);
      responses.addRevision(eventRevision, entry.getValue());
      List<Outgoing> out = responses.build();
      if (fits(watcher, out)) {
        out.forEach(watcher.stream::enqueue);
        watcher.floor = eventRevision;
        watcher.reported = eventRevision;
      } else {
        park(watcher, eventRevision);
      }
    }
  }

  private static void match(Watcher watcher, KvEvent event, byte[] key, int e, Event[] plain,
      Event[] withPrev, Map<Watcher, List<Event>> matched) {
    if (!watcher.wants(event, key)) {
      return;
    }
    Event proto;
    if (watcher.prevKv) {
      proto = withPrev[e] != null ? withPrev[e] : (withPrev[e] = Responses.toProto(event, true));
    } else {
      proto = plain[e] != null ? plain[e] : (plain[e] = Responses.toProto(event, false));
    }
    matched.computeIfAbsent(watcher, w -> new ArrayList<>()).add(proto);
  }

  /** True if the watch's buffer takes these responses (always when it holds no events). */
  private boolean fits(Watcher watcher, List<Outgoing> out) {
    long pendingEvents = watcher.pendingEvents.get();
    long pendingBytes = watcher.pendingBytes.get();
    if (pendingEvents == 0 && pendingBytes == 0) {
      return true;
    }
    long events = 0;
    long bytes = 0;
    for (Outgoing item : out) {
      events += item.events();
      bytes += item.bytes();
    }
    return pendingEvents + events <= limits.maxBufferedEvents()
        && pendingBytes + bytes <= limits.maxBufferedBytes();
  }

  // --- catching up ---------------------------------------------------------------------------

  /** Makes the watch unsynced from {@code next} on and schedules its catch-up. Under lock. */
  private void park(Watcher watcher, long next) {
    removeSynced(watcher);
    watcher.state = Watcher.State.UNSYNCED;
    watcher.nextRevision = next;
    requestSync(watcher);
  }

  /** Schedules a catch-up round if the watch has room for more events. Under lock. */
  private void requestSync(Watcher watcher) {
    if (watcher.state != Watcher.State.UNSYNCED || watcher.syncScheduled || closed) {
      return;
    }
    if (!hasRoom(watcher)) {
      watcher.waitingForRoom = true;
      // The sender may have freed room between the check and the flag: look again.
      if (!hasRoom(watcher)) {
        return;
      }
    }
    watcher.waitingForRoom = false;
    watcher.syncScheduled = true;
    try {
      syncer.execute(() -> safeSyncRound(watcher));
    } catch (RejectedExecutionException stopping) {
      watcher.syncScheduled = false;
    }
  }

  /** Room means at most half the buffer bound is in use, so a round is worth its read. */
  private boolean hasRoom(Watcher watcher) {
    return watcher.pendingEvents.get() <= limits.maxBufferedEvents() / 2
        && watcher.pendingBytes.get() <= limits.maxBufferedBytes() / 2;
  }

  /** Called by a stream's sender after it sent a response of a watch waiting for room. */
  private void roomFreed(Watcher watcher) {
    if (hasRoom(watcher)) {
      synchronized (lock) {
        requestSync(watcher);
      }
    }
  }

  /**
   * A round whose unexpected failure ends the watch (the client resumes it) instead of leaving
   * it unsynced for good.
   */
  private void safeSyncRound(Watcher watcher) {
    try {
      syncRound(watcher);
    } catch (RuntimeException e) {
      LOG.error("catching up {} failed", watcher, e);
      synchronized (lock) {
        watcher.syncScheduled = false;
        if (watcher.state != Watcher.State.CANCELED) {
          end(watcher, WatchResponse.newBuilder().setErrorReason(ErrorReason.NOT_READY)
              .setCancelReason("the member failed to catch the watch up (" + e + "); watch"
                  + " again from your last revision + 1, on another member if need be"));
        }
      }
    }
  }

  private void syncRound(Watcher watcher) {
    long from;
    long upTo;
    synchronized (lock) {
      // syncScheduled stays set while the round runs, so no second round is queued meanwhile.
      if (watcher.state != Watcher.State.UNSYNCED || closed) {
        watcher.syncScheduled = false;
        return;
      }
      from = watcher.nextRevision;
      upTo = revision;
      if (from > upTo) {
        watcher.syncScheduled = false;
        finishCatchUp(watcher);
        return;
      }
    }
    long maxEvents = Math.max(1, limits.maxBufferedEvents() - watcher.pendingEvents.get());
    long maxBytes = Math.max(1, limits.maxBufferedBytes() - watcher.pendingBytes.get());
    CatchUp round;
    try {
      round = stateMachine.read((view, meta) ->
          CatchUp.read(view, meta, watcher, from, upTo, maxEvents, maxBytes, this::header));
    } catch (StoreClosedException installing) {
      retryLater(watcher);
      return;
    }
    afterCatchUpRead.run();
    synchronized (lock) {
      watcher.syncScheduled = false;
      if (watcher.state != Watcher.State.UNSYNCED || watcher.nextRevision != from) {
        return;
      }
      if (round.compactRevision() != 0) {
        end(watcher, WatchResponse.newBuilder().setCompactRevision(round.compactRevision())
            .setErrorReason(ErrorReason.COMPACTED)
            .setCancelReason(compactedReason(from, round.compactRevision())));
        return;
      }
      round.responses().forEach(watcher.stream::enqueue);
      if (round.lastRevision() > 0) {
        watcher.reported = Math.max(watcher.reported, round.lastRevision());
      }
      watcher.nextRevision = round.nextRevision();
      watcher.floor = Math.max(watcher.floor, round.nextRevision() - 1);
      if (round.nextRevision() <= upTo) {
        requestSync(watcher);
      } else {
        finishCatchUp(watcher);
      }
    }
  }

  private void retryLater(Watcher watcher) {
    synchronized (lock) {
      if (watcher.state != Watcher.State.UNSYNCED || closed) {
        watcher.syncScheduled = false;
        return;
      }
      try {
        syncer.schedule(() -> safeSyncRound(watcher), STORE_CLOSED_RETRY_MS,
            TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException stopping) {
        watcher.syncScheduled = false;
      }
    }
  }

  /**
   * Syncs the watch if the revisions between its catch-up and the hub are held in memory;
   * otherwise schedules another round. Under lock.
   */
  private void finishCatchUp(Watcher watcher) {
    List<List<KvEvent>> gap = recent.span(watcher.nextRevision, revision);
    if (gap == null) {
      requestSync(watcher);
      return;
    }
    for (List<KvEvent> group : gap) {
      List<Event> events = new ArrayList<>();
      for (KvEvent event : group) {
        if (watcher.wants(event, event.kv().getKey().toByteArray())) {
          events.add(Responses.toProto(event, watcher.prevKv));
        }
      }
      if (!events.isEmpty()) {
        long eventRevision = group.get(0).revision();
        Responses responses = new Responses(watcher, this::header);
        responses.addRevision(eventRevision, events);
        responses.build().forEach(watcher.stream::enqueue);
        watcher.reported = Math.max(watcher.reported, eventRevision);
      }
    }
    watcher.floor = Math.max(watcher.floor, revision);
    watcher.waitingForRoom = false;
    addSynced(watcher);
    sendRequestedProgress(watcher.stream);
  }

  // --- progress ------------------------------------------------------------------------------

  private void progressTick() {
    synchronized (lock) {
      for (WatchStream stream : streams) {
        for (Watcher watcher : stream.watchers.values()) {
          // Never below the start revision - 1: some clients take a progress revision as the
          // point to resume from (etcd-io/etcd#20221).
          if (watcher.progressNotify && watcher.state == Watcher.State.SYNCED
              && watcher.pendingItems.get() == 0 && watcher.reported < revision
              && revision >= watcher.startRevision - 1) {
            watcher.reported = revision;
            stream.enqueue(Outgoing.control(WatchResponse.newBuilder()
                .setHeader(header(revision)).setWatchId(watcher.id).build(), watcher));
          }
        }
      }
    }
  }

  /** Sends the requested stream-wide progress if every watch is synced. Under lock. */
  private void sendRequestedProgress(WatchStream stream) {
    if (!stream.progressRequested || stream.closed) {
      return;
    }
    for (Watcher watcher : stream.watchers.values()) {
      if (watcher.state != Watcher.State.SYNCED) {
        return;
      }
    }
    stream.progressRequested = false;
    stream.enqueue(Outgoing.control(WatchResponse.newBuilder()
        .setHeader(header(revision)).setWatchId(STREAM_WIDE).build(), null));
  }

  // --- bookkeeping -----------------------------------------------------------------------------

  /** Ends a watch with a canceled response carrying {@code response}'s reason. Under lock. */
  private void end(Watcher watcher, WatchResponse.Builder response) {
    removeSynced(watcher);
    watcher.state = Watcher.State.CANCELED;
    WatchStream stream = watcher.stream;
    stream.watchers.remove(watcher.id);
    stream.enqueue(Outgoing.control(response.setHeader(header(revision))
        .setWatchId(watcher.id).setCanceled(true).build(), null));
    sendRequestedProgress(stream);
  }

  private void addSynced(Watcher watcher) {
    watcher.state = Watcher.State.SYNCED;
    if (watcher.singleKey != null) {
      syncedByKey.computeIfAbsent(watcher.singleKey, k -> new LinkedHashSet<>()).add(watcher);
    } else {
      syncedRanges.add(watcher);
    }
  }

  private void removeSynced(Watcher watcher) {
    if (watcher.state != Watcher.State.SYNCED) {
      return;
    }
    if (watcher.singleKey != null) {
      Set<Watcher> byKey = syncedByKey.get(watcher.singleKey);
      if (byKey != null) {
        byKey.remove(watcher);
        if (byKey.isEmpty()) {
          syncedByKey.remove(watcher.singleKey);
        }
      }
    } else {
      syncedRanges.remove(watcher);
    }
  }

  private static String compactedReason(long from, long compactRevision) {
    return "revision " + from + " has been compacted (compact revision " + compactRevision
        + "): read the range at revision " + compactRevision + ", then watch from "
        + (compactRevision + 1);
  }

  /** Revision up to which the hub has seen applied entries (for tests). */
  long revision() {
    synchronized (lock) {
      return revision;
    }
  }

  /** Counts of streams and watches by state. */
  public WatchStats stats() {
    Map<Watcher.State, Integer> census = census();
    synchronized (lock) {
      return new WatchStats(streams.size(), census.getOrDefault(Watcher.State.SYNCED, 0),
          census.getOrDefault(Watcher.State.UNSYNCED, 0));
    }
  }

  /** Number of watches of each state (for tests and metrics). */
  Map<Watcher.State, Integer> census() {
    synchronized (lock) {
      Map<Watcher.State, Integer> counts = new HashMap<>();
      for (WatchStream stream : streams) {
        for (Watcher watcher : stream.watchers.values()) {
          counts.merge(watcher.state, 1, Integer::sum);
        }
      }
      return counts;
    }
  }

  /** Ends every stream with NOT_READY (clients recreate their watches elsewhere) and stops. */
  @Override
  public void close() {
    List<WatchStream> open;
    synchronized (lock) {
      closed = true;
      open = new ArrayList<>(streams);
    }
    for (WatchStream stream : open) {
      endStream(stream, CoordError.notReady("the member is stopping; watch again from your last"
          + " revision + 1 on another member"));
    }
    syncer.shutdownNow();
    sender.shutdown();
    try {
      if (!sender.awaitTermination(2, TimeUnit.SECONDS)) {
        sender.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      sender.shutdownNow();
    }
  }
}
