package io.coord.chaos.workload;

import io.coord.chaos.history.F;
import io.coord.client.CoordClient;
import io.coord.client.CoordTimeoutException;
import io.coord.client.StaleFenceException;
import io.coord.client.kv.PutOptions;
import io.coord.client.lock.HeldLock;
import io.coord.client.lock.LockOptions;
import io.coord.client.session.Session;
import java.time.Duration;
import java.util.List;

/**
 * Mutexes with fencing tokens, judged by the lock-safety checker. Each worker loops: pick one of
 * {@link #LOCKS}, {@code acquire} it (waiting at most {@link #WAIT}; {@code ok} value = the
 * fencing token), make one or two {@code guarded-write}s of {@code fenced/<lock>} whose guard is
 * the lock and token ({@code ok}: Coord accepted it; {@code fail} {@code "stale-token"}: Coord
 * refused it with FENCING_TOKEN_STALE), then {@code release} the token.
 *
 * <p>Locks are held with sessions of TTL {@link #TTL} (the members' minimum), so that faults end
 * them: per member there is one worker whose client talks to every member (starting with that
 * one) and one pinned to that member alone, which loses its session when its member is paused,
 * killed or cut off for longer than the TTL; its writes in flight then reach the cluster after
 * someone else took the lock. Besides, every {@link #STALL_EVERY} or so, each worker of the first
 * kind plays a <em>stalled holder</em> for one round: the lock is taken with a client of its own, which then stops (its keep-alives
 * end, as in a process paused by GC or SIGSTOP), the worker sleeps past the TTL while the
 * others take the lock, and then writes with the old token, which the fence must refuse. That
 * exercises the fence in every run, with or without faults.
 *
 * <p>With {@code fenced} false (the broken mode {@code --unsafe unfenced-locks}), the writes
 * carry no guard and are recorded as accepted: what an application that trusts the lock alone
 * does. The checker must then find the stalled holders' writes overlapping the next holds.
 */
public final class LockWorkload implements Workload {
  /** The TTL of the lock sessions; the harness configures the members' minimum TTL to it. */
  public static final Duration TTL = Duration.ofSeconds(3);
  /** The locks the workers contend for (also the history's keys). */
  static final List<String> LOCKS = List.of("lock-a", "lock-b");
  /** The key each lock guards is this prefix and the lock's name. */
  static final String DATA_PREFIX = "fenced/";
  /** How long an acquire waits in line. */
  static final Duration WAIT = Duration.ofSeconds(2);
  /**
   * How often a worker that talks to every member plays a stalled holder (the first time at a
   * random point of the first period). A stall blocks its lock for about the TTL, so they are
   * kept rare enough to leave the lock to the others most of the time.
   */
  static final Duration STALL_EVERY = Duration.ofSeconds(30);
  /** How long a stalled holder sleeps past its session's TTL. */
  static final Duration STALL_EXTRA = Duration.ofMillis(2500);

  private final boolean fenced;
  private final WorkerPool pool = new WorkerPool("lock");

  /** A workload whose writes are guarded by their token; false only for the broken mode. */
  public LockWorkload(boolean fenced) {
    this.fenced = fenced;
  }

  public LockWorkload() {
    this(true);
  }

  @Override
  public String name() {
    return "lock";
  }

  @Override
  public void start(WorkloadContext context) {
    for (int member = 1; member <= context.members(); member++) {
      pool.start(new LockWorker(context, context.rotated(member), fenced, true));
      pool.start(new LockWorker(context, context.only(member), fenced, false));
    }
  }

  @Override
  public void stop() {
    pool.stop();
  }

  @Override
  public void finish(WorkloadContext context) {
  }

  private static final class LockWorker extends Worker {
    private final List<String> endpoints;
    private final boolean fenced;
    private final boolean stalls;
    private long nextStall;
    private Session session;

    LockWorker(WorkloadContext context, List<String> endpoints, boolean fenced,
        boolean stalls) {
      super(context, context.client(endpoints));
      this.endpoints = endpoints;
      this.fenced = fenced;
      this.stalls = stalls;
      this.nextStall = System.nanoTime()
          + (long) (random.nextDouble() * STALL_EVERY.toNanos());
    }

    @Override
    protected void step() {
      String lock = LOCKS.get(random.nextInt(LOCKS.size()));
      if (stalls && System.nanoTime() >= nextStall) {
        if (stalledRound(lock)) {
          nextStall = System.nanoTime() + STALL_EVERY.toNanos();
        }
      } else {
        round(lock);
      }
    }

    /** Acquire, one or two guarded writes, release; with the worker's long-lived session. */
    private void round(String lock) {
      if (!ensureSession()) {
        return;
      }
      HeldLock held = acquire(client, session, lock);
      if (held == null) {
        return;
      }
      int writes = 1 + random.nextInt(2);
      for (int i = 0; i < writes && running(); i++) {
        guardedWrite(held);
        sleep(random.nextInt(20));
      }
      release(held);
    }

    /**
     * Acquire with a client of its own, stop that client (no more keep-alives: the session
     * expires after its TTL and the lock goes to the next waiter), sleep past the TTL, then
     * write with the old token through the worker's client. False if the lock was not
     * acquired (the stall is then tried again in the next round).
     */
    private boolean stalledRound(String lock) {
      CoordClient holder = context.client(endpoints);
      HeldLock held;
      try {
        Session own;
        try {
          own = holder.sessions().grant(TTL);
        } catch (RuntimeException e) {
          sleep(100);
          return false;
        }
        held = acquire(holder, own, lock);
        if (held == null) {
          return false;
        }
      } finally {
        // The "pause": keep-alives stop; the session is not revoked, it expires.
        holder.close();
      }
      sleep(TTL.plus(STALL_EXTRA).toMillis());
      guardedWrite(held);
      return true;
    }

    /** The worker's session, granted anew when lost; false if none could be granted. */
    private boolean ensureSession() {
      if (session != null && !session.isLost()) {
        return true;
      }
      dropSession();
      try {
        session = client.sessions().grant(TTL);
        return true;
      } catch (RuntimeException e) {
        sleep(100);
        return false;
      }
    }

    /** Ends the session (revoking it), so that nothing it may hold outlives an unknown outcome. */
    private void dropSession() {
      if (session != null) {
        session.close();
        session = null;
      }
    }

    private HeldLock acquire(CoordClient through, Session holder, String lock) {
      recorder.invoke(process, F.ACQUIRE, lock, null);
      try {
        HeldLock held = through.locks().lock(lock, LockOptions.builder().session(holder)
            .build()).acquire(WAIT);
        recorder.ok(process, F.ACQUIRE, lock, held.token());
        return held;
      } catch (CoordTimeoutException e) {
        if (e.metadata().containsKey("lock")) {
          // The server answered: the wait timed out without a grant (a grant made first would
          // have been returned).
          recorder.fail(process, F.ACQUIRE, lock, null, "not granted within " + WAIT.toMillis()
              + " ms");
        } else {
          unknown(F.ACQUIRE, lock, null, e, holder);
        }
        return null;
      } catch (RuntimeException e) {
        unknown(F.ACQUIRE, lock, null, e, holder);
        return null;
      }
    }

    private void guardedWrite(HeldLock held) {
      long token = held.token();
      String value = token + ":" + context.nextValue();
      recorder.invoke(process, F.GUARDED_WRITE, held.name(), token);
      try {
        PutOptions.Builder options = PutOptions.builder();
        if (fenced) {
          options.guard(held.fence());
        }
        client.kv().put(DATA_PREFIX + held.name(), value, options.build());
        recorder.ok(process, F.GUARDED_WRITE, held.name(), token);
      } catch (StaleFenceException e) {
        recorder.fail(process, F.GUARDED_WRITE, held.name(), token, "stale-token");
      } catch (RuntimeException e) {
        recorder.info(process, F.GUARDED_WRITE, held.name(), token, Recorder.error(e));
        newProcess();
      }
    }

    private void release(HeldLock held) {
      long token = held.token();
      recorder.invoke(process, F.RELEASE, held.name(), token);
      try {
        if (client.locks().release(held.name(), token)) {
          recorder.ok(process, F.RELEASE, held.name(), token);
        } else {
          // Not held any more (its session ended): this release changed nothing.
          recorder.fail(process, F.RELEASE, held.name(), token, "not-held");
        }
      } catch (RuntimeException e) {
        unknown(F.RELEASE, held.name(), token, e, held.session());
      }
    }

    /**
     * An acquire or release with an unknown outcome: the session may hold the lock without the
     * worker knowing its token, so the worker's session is ended (a stalled holder's expires
     * anyway), and the worker goes on as a new process.
     */
    private void unknown(String f, String lock, Object value, RuntimeException e,
        Session holder) {
      recorder.info(process, f, lock, value, Recorder.error(e));
      newProcess();
      if (holder == session) {
        dropSession();
      }
    }

    @Override
    protected void done() {
      dropSession();
      super.done();
    }
  }
}
