package io.coord.server.lock;

import io.coord.server.command.LockEntry;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KvEvent;
import io.coord.server.statemachine.ApplyListener;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.storage.StoreClosedException;
import io.coord.server.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The calls waiting on this member for a lock (or leadership): each waits for the fate of one
 * waiter, told by this member's own apply ({@link LockEvents}) — never by polling the state.
 *
 * <p>A call learns its waiter from the leader's result, possibly before this member applied
 * that entry. So it registers first, then, once this member applied the entry's index, reads
 * the waiter from the local state: granted or gone already (the event came before the
 * registration), or still waiting (the event will come). After a snapshot install, which skips
 * events, every registered waiter is read again.
 *
 * <p>A member that knows no leader for longer than {@code leaderlessGrace} cannot apply
 * anything: its waiting calls fail with NO_LEADER so their clients retry on another member
 * (where the same request id resumes the same wait). Looking at whether a leader is known is
 * the only periodic check here (on the injected clock); it reads no lock state.
 */
public final class LockWaits implements LockEvents, ApplyListener, AutoCloseable {
  /** What became of a waiter. */
  public sealed interface Fate {
    /** It holds the lock: {@code grant}. */
    record Granted(LockEntry grant) implements Fate {}

    /** It neither waits nor holds any more (withdrawn, released, its session ended). */
    record Ended() implements Fate {}

    /** This member cannot tell (no leader, stopping): retry on another member. */
    record Unavailable(CoordError error) implements Fate {}
  }

  private final CoordStateMachine stateMachine;
  private final Clock clock;
  private final BooleanSupplier leaderKnown;
  private final long leaderlessGraceNanos;
  private final ExecutorService completions;
  private final ScheduledExecutorService ticker;
  private final Map<Long, List<Waiting>> byWaiter = new HashMap<>();
  private final PriorityQueue<Waiting> beforeIndex =
      new PriorityQueue<>((a, b) -> Long.compare(a.index, b.index));
  private long leaderlessSince = -1;
  private boolean closed;

  private static final class Waiting {
    final LockSpace space;
    final String name;
    final long waiterId;
    final long index;
    final CompletableFuture<Fate> fate = new CompletableFuture<>();

    Waiting(LockSpace space, String name, long waiterId, long index) {
      this.space = space;
      this.name = name;
      this.waiterId = waiterId;
      this.index = index;
    }
  }

  public LockWaits(CoordStateMachine stateMachine, Clock clock, BooleanSupplier leaderKnown,
      Duration leaderlessGrace, String memberName) {
    this.stateMachine = stateMachine;
    this.clock = clock;
    this.leaderKnown = leaderKnown;
    this.leaderlessGraceNanos = leaderlessGrace.toNanos();
    this.completions = Executors.newSingleThreadExecutor(daemon("coord-lock-waits-" + memberName));
    this.ticker = Executors.newSingleThreadScheduledExecutor(
        daemon("coord-lock-leaderless-" + memberName));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }

  /** Starts the leaderless check. */
  public void start() {
    ticker.scheduleWithFixedDelay(this::tick, 250, 250, TimeUnit.MILLISECONDS);
  }

  /**
   * Completes (on a dedicated thread, never the apply thread) with the fate of waiter
   * {@code waiterId} of {@code name}, whose queuing was applied at log index {@code index}.
   * Cancel the returned future to stop waiting.
   */
  public CompletableFuture<Fate> await(LockSpace space, String name, long waiterId, long index) {
    Waiting waiting = new Waiting(space, name, waiterId, index);
    synchronized (this) {
      if (closed) {
        return CompletableFuture.completedFuture(new Fate.Unavailable(
            CoordError.notReady("the member is stopping; retry on another member")));
      }
      byWaiter.computeIfAbsent(waiterId, id -> new ArrayList<>()).add(waiting);
      if (stateMachine.appliedIndex() < index) {
        beforeIndex.add(waiting);
      } else {
        check(waiting);
      }
    }
    waiting.fate.whenComplete((fate, error) -> forget(waiting));
    return waiting.fate;
  }

  /** A timer thread for the waiting calls' own timeouts (tasks must not block). */
  public ScheduledExecutorService timers() {
    return ticker;
  }

  /** Number of calls waiting on this member. */
  public synchronized int size() {
    return byWaiter.values().stream().mapToInt(List::size).sum();
  }

  private synchronized void forget(Waiting waiting) {
    List<Waiting> list = byWaiter.get(waiting.waiterId);
    if (list != null) {
      list.remove(waiting);
      if (list.isEmpty()) {
        byWaiter.remove(waiting.waiterId);
      }
    }
    beforeIndex.remove(waiting);
  }

  /** Reads the waiter from this member's state, on the completion thread. */
  private void check(Waiting waiting) {
    execute(() -> {
      Optional<LockEntry> entry;
      try {
        entry = stateMachine.read((view, meta) -> LockReader.state(view, waiting.space,
            waiting.name).flatMap(state -> LockReader.entry(state, waiting.waiterId)));
      } catch (StoreClosedException installing) {
        // A snapshot is being installed; onStateReplaced checks again.
        return;
      }
      if (entry.isEmpty()) {
        waiting.fate.complete(new Fate.Ended());
      } else if (entry.get().getToken() != 0) {
        waiting.fate.complete(new Fate.Granted(entry.get()));
      }
    });
  }

  @Override
  public void granted(LockSpace space, long waiterId, LockEntry grant) {
    tell(waiterId, new Fate.Granted(grant));
  }

  @Override
  public void ended(LockSpace space, long waiterId) {
    tell(waiterId, new Fate.Ended());
  }

  private void tell(long waiterId, Fate fate) {
    List<Waiting> told;
    synchronized (this) {
      List<Waiting> list = byWaiter.get(waiterId);
      if (list == null) {
        return;
      }
      told = List.copyOf(list);
    }
    execute(() -> told.forEach(w -> w.fate.complete(fate)));
  }

  @Override
  public synchronized void onApplied(long index, long revision, List<KvEvent> events) {
    while (!beforeIndex.isEmpty() && beforeIndex.peek().index <= index) {
      check(beforeIndex.poll());
    }
  }

  @Override
  public synchronized void onStateReplaced(long index, long revision) {
    onApplied(index, revision, List.of());
    for (List<Waiting> list : byWaiter.values()) {
      for (Waiting waiting : list) {
        if (waiting.index <= index) {
          check(waiting);
        }
      }
    }
  }

  private void tick() {
    boolean known;
    try {
      known = leaderKnown.getAsBoolean();
    } catch (RuntimeException stopping) {
      known = false;
    }
    long now = clock.monotonicNanos();
    synchronized (this) {
      if (known) {
        leaderlessSince = -1;
        return;
      }
      if (leaderlessSince < 0) {
        leaderlessSince = now;
        return;
      }
      if (now - leaderlessSince < leaderlessGraceNanos) {
        return;
      }
    }
    failAll(CoordError.noLeader("this member lost its leader while the call waited; retry the"
        + " call (same request id) on another member to go on waiting"));
  }

  private void failAll(CoordError error) {
    List<Waiting> all = new ArrayList<>();
    synchronized (this) {
      byWaiter.values().forEach(all::addAll);
    }
    Fate fate = new Fate.Unavailable(error);
    all.forEach(w -> w.fate.complete(fate));
  }

  private void execute(Runnable task) {
    try {
      completions.execute(task);
    } catch (RejectedExecutionException stopping) {
      // Closed: every wait was failed already.
    }
  }

  /** Fails every waiting call with NOT_READY (their clients retry elsewhere) and stops. */
  @Override
  public void close() {
    synchronized (this) {
      closed = true;
    }
    ticker.shutdownNow();
    failAll(CoordError.notReady("the member is stopping; retry the call (same request id) on"
        + " another member to go on waiting"));
    completions.shutdown();
  }
}
