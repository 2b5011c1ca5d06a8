package io.coord.chaos.workload;

import io.coord.chaos.history.F;
import io.coord.client.CoordClient;
import io.coord.client.NotFoundException;
import io.coord.client.kv.PutOptions;
import io.coord.client.session.Grant;
import io.coord.client.session.KeepAliveResult;
import java.time.Duration;

/**
 * Sessions, one after the other per worker: {@code grant} (TTL {@link #TTL}), an ephemeral key
 * {@code sess/<label>} attached to it, {@code keepalive}s every TTL/3 for 2-8 s, then either a
 * {@code revoke} or silence; after that {@code session-status} probes every 300 ms until the
 * session is gone (bounded). A probe is a linearizable read of the ephemeral key — present
 * means alive, absent means expired, as ending a session deletes its keys in the same
 * revision — because the session status call may answer from a member's stale state when no
 * leader is reachable. The session checker compares expiry with the TTL and the keep-alives.
 */
public final class SessionWorkload implements Workload {
  /** The TTL asked for; the harness configures the members' minimum TTL to it. */
  public static final Duration TTL = Duration.ofSeconds(3);
  static final String PREFIX = "sess/";
  private static final long PROBE_MS = 300;
  private static final Duration PROBE_LIMIT = TTL.plusSeconds(20);

  private final WorkerPool pool = new WorkerPool("session");

  @Override
  public String name() {
    return "session";
  }

  @Override
  public void start(WorkloadContext context) {
    for (int member = 1; member <= context.members(); member++) {
      pool.start(new SessionWorker(context, context.client(context.rotated(member))));
    }
  }

  @Override
  public void stop() {
    pool.stop();
  }

  @Override
  public void finish(WorkloadContext context) {
  }

  private static final class SessionWorker extends Worker {
    SessionWorker(WorkloadContext context, CoordClient client) {
      super(context, client);
    }

    @Override
    protected void step() {
      String label = "s" + context.nextValue();
      Long id = grant(label);
      if (id == null) {
        return;
      }
      boolean probeable = attachKey(id, label);
      long keepUntil = System.nanoTime() + Duration.ofMillis(2000 + random.nextInt(6001))
          .toNanos();
      boolean alive = true;
      while (alive && running() && System.nanoTime() < keepUntil) {
        sleep(TTL.toMillis() / 3);
        alive = keepAlive(label, id);
      }
      if (alive && random.nextInt(5) == 0) {
        revoke(label, id);
      }
      if (probeable) {
        probeUntilGone(label);
      }
    }

    private Long grant(String label) {
      recorder.invoke(process, F.GRANT, label, TTL.toMillis());
      try {
        Grant grant = client.sessions().grantId(TTL);
        recorder.ok(process, F.GRANT, label, grant.ttl().toMillis());
        return grant.id();
      } catch (RuntimeException e) {
        recorder.info(process, F.GRANT, label, TTL.toMillis(), Recorder.error(e));
        newProcess();
        return null;
      }
    }

    /** Puts the session's key; true if it is known to be attached (else probes would lie). */
    private boolean attachKey(long id, String label) {
      try {
        client.kv().put(PREFIX + label, label, PutOptions.builder().session(id).build());
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    }

    private boolean keepAlive(String label, long id) {
      recorder.invoke(process, F.KEEPALIVE, label, null);
      try {
        KeepAliveResult result = client.sessions().keepAliveOnce(id);
        if (result.alive()) {
          recorder.ok(process, F.KEEPALIVE, label, null);
          return true;
        }
        // The completion's value says what the member answered: the recorded end, if any.
        recorder.fail(process, F.KEEPALIVE, label, result.end()
            .map(end -> java.util.Map.of("end_reason", end.reason().toString(),
                "end_revision", end.revision()))
            .orElse(java.util.Map.of("end_reason", "none recorded")), "expired");
        return false;
      } catch (RuntimeException e) {
        recorder.info(process, F.KEEPALIVE, label, null, Recorder.error(e));
        newProcess();
        return true;
      }
    }

    private void revoke(String label, long id) {
      recorder.invoke(process, F.REVOKE, label, null);
      try {
        client.sessions().revoke(id);
        recorder.ok(process, F.REVOKE, label, null);
      } catch (NotFoundException e) {
        recorder.fail(process, F.REVOKE, label, null, "expired");
      } catch (RuntimeException e) {
        recorder.info(process, F.REVOKE, label, null, Recorder.error(e));
        newProcess();
      }
    }

    private void probeUntilGone(String label) {
      long deadline = System.nanoTime() + PROBE_LIMIT.toNanos();
      while (running() && System.nanoTime() < deadline) {
        recorder.invoke(process, F.SESSION_STATUS, label, null);
        try {
          boolean present = client.kv().get(PREFIX + label).first().isPresent();
          recorder.ok(process, F.SESSION_STATUS, label, present ? "alive" : "expired");
          if (!present) {
            return;
          }
        } catch (RuntimeException e) {
          recorder.fail(process, F.SESSION_STATUS, label, null, Recorder.error(e));
        }
        sleep(PROBE_MS);
      }
    }
  }
}
