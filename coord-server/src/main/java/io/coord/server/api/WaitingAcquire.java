package io.coord.server.api;

import io.coord.proto.v1.LockInfo;
import io.coord.server.command.AcquireResult;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.LockEntry;
import io.coord.server.command.ReleaseLock;
import io.coord.server.command.ReleaseResult;
import io.coord.proto.v1.ErrorReason;
import java.util.Map;
import io.coord.server.error.CoordError;
import io.coord.server.lock.LockReader;
import io.coord.server.lock.LockSpace;
import io.coord.server.lock.LockWaits;
import io.coord.server.session.SessionReader;
import io.coord.server.session.SessionStore;
import io.coord.server.statemachine.CoordStateMachine;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Acquire (or Campaign) call: proposes the acquire, then, if it was queued, waits on this
 * member for the waiter's fate ({@link LockWaits}). Exactly one outcome is decided, once:
 *
 * <ul>
 *   <li>granted: answered with the grant;
 *   <li>the wait's own timeout: the wait is withdrawn through the log; answered "not
 *       acquired" if it still waited, or with the grant if it was granted first (a withdrawal
 *       never releases a grant: the same request retried on another member may have returned
 *       it already); UNAVAILABLE if the withdrawal cannot be committed;
 *   <li>the call cancelled (deadline, client gone): the wait is withdrawn, nobody is answered;
 *       a grant made before stays with the session, for a retry of the request to return (a
 *       client that gives up releases by session, or its session ends);
 *   <li>the member lost its leader or stops: UNAVAILABLE without withdrawing, so the client's
 *       retry (same request id) resumes the same wait on another member;
 *   <li>the waiter ended otherwise: SESSION_NOT_FOUND if its session ended, else
 *       LOCK_WAIT_ENDED (an earlier attempt of the call was withdrawn).
 * </ul>
 */
final class WaitingAcquire<R> {
  private static final Logger LOG = LoggerFactory.getLogger(WaitingAcquire.class);

  /** How answers are built for the service. */
  interface Answers<R> {
    R granted(LockEntry grant, boolean reentrant);

    /** Not acquired; {@code current} is the lock as it is, if it exists. */
    R notAcquired(LockInfo current, long revision);
  }

  /** How long to wait for this member to apply the leader's answer before answering anyway. */
  private static final long LOCAL_APPLY_WAIT_MS = 2_000;

  /** What the member offers a waiting call. */
  record Context(WritePath writes, ReadPath reads, LockWaits waits,
      CoordStateMachine stateMachine, ScheduledExecutorService timers, Calls calls) {}

  private final Context context;
  private final LockSpace space;
  private final String name;
  private final long session;
  private final long timeoutMs;
  private final StreamObserver<R> observer;
  private final Answers<R> answers;
  private final AtomicBoolean decided = new AtomicBoolean();
  private volatile boolean cancelled;
  private volatile long waiterId;
  private volatile CompletableFuture<LockWaits.Fate> fate;
  private volatile ScheduledFuture<?> timer;

  WaitingAcquire(Context context, LockSpace space, String name, long session, long timeoutMs,
      StreamObserver<R> observer, Answers<R> answers) {
    this.context = context;
    this.space = space;
    this.name = name;
    this.session = session;
    this.timeoutMs = timeoutMs;
    this.observer = observer;
    this.answers = answers;
  }

  /**
   * Proposes {@code command} and follows its outcome; {@code result} picks the acquire result
   * out of the command's result.
   */
  void start(Command.Builder command, Function<CommandResult, AcquireResult> result) {
    if (observer instanceof ServerCallStreamObserver<R> call) {
      call.setOnCancelHandler(this::onCancelled);
    }
    CompletableFuture<CommandResult> proposed;
    try {
      proposed = context.writes().submit(command)
          .orTimeout(context.calls().remaining().toMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      proposed = CompletableFuture.failedFuture(e);
    }
    proposed.whenComplete((r, error) -> {
      if (error != null) {
        if (decide()) {
          fail(error);
        }
        return;
      }
      AcquireResult acquired = result.apply(r);
      switch (acquired.getOutcome()) {
        case GRANTED -> {
          // Decided even if the call went away meanwhile: the grant stays with the session.
          if (decide()) {
            send(answers.granted(acquired.getEntry(), acquired.getReentrant()));
          }
        }
        case BUSY -> {
          if (decide()) {
            send(answers.notAcquired(acquired.getCurrent(), r.getRevision()));
          }
        }
        case QUEUED -> {
          try {
            waitFor(acquired);
          } catch (RuntimeException e) {
            // Never leave the call unanswered (it would hang until the client gives up). A
            // rejected timer means the member is stopping: the client goes on waiting, under
            // the same request id, on another member.
            if (decide()) {
              stopWaiting();
              fail(e instanceof RejectedExecutionException ? CoordError.notReady("the member is"
                  + " stopping; retry the call (same request id) on another member to go on"
                  + " waiting") : e);
            }
          }
        }
        case UNRECOGNIZED -> {
          if (decide()) {
            fail(new IllegalStateException("unknown acquire outcome"));
          }
        }
      }
    });
  }

  private void waitFor(AcquireResult queued) {
    waiterId = queued.getEntry().getWaiterId();
    if (cancelled) {
      if (decide()) {
        withdraw(waiterId);
      }
      return;
    }
    fate = context.waits().await(space, name, waiterId, queued.getIndex());
    if (timeoutMs > 0) {
      timer = context.timers().schedule(this::onTimeout, timeoutMs, TimeUnit.MILLISECONDS);
    }
    if (cancelled) {
      onCancelled();
    }
    fate.whenComplete((f, error) -> {
      if (error == null) {
        onFate(f);
      }
    });
  }

  private void onFate(LockWaits.Fate f) {
    if (!decide()) {
      return;
    }
    if (f instanceof LockWaits.Fate.Granted granted) {
      send(answers.granted(granted.grant(), false));
    } else if (f instanceof LockWaits.Fate.Unavailable unavailable) {
      fail(unavailable.error());
    } else {
      fail(endedWithoutGrant(context.stateMachine().read(
          (view, meta) -> SessionReader.live(view, session).isPresent())));
    }
  }

  private CoordError endedWithoutGrant(boolean sessionAlive) {
    if (!sessionAlive) {
      return context.stateMachine().read((view, meta) -> SessionStore.notFound(view, session));
    }
    return new CoordError(ErrorReason.LOCK_WAIT_ENDED, "the wait for \"" + name + "\" ended"
        + " without a grant this call can return: an earlier attempt of this request was"
        + " withdrawn (it went away or timed out), or its grant was released since; acquire"
        + " again with a new request", Map.of("lock", name));
  }

  private void onTimeout() {
    if (!decide()) {
      return;
    }
    stopWaiting();
    withdraw(waiterId).whenComplete((r, error) -> {
      if (error != null) {
        fail(CoordError.noLeader("the wait for \"" + name + "\" timed out but could not be"
            + " withdrawn (" + ApiErrors.unwrap(error).getMessage() + "); retry this request"
            + " to learn its outcome, or release the lock by session"));
        return;
      }
      ReleaseResult outcome = space == LockSpace.LOCK ? r.getReleaseLock() : r.getResign();
      if (outcome.hasHolder()) {
        send(answers.granted(outcome.getHolder(), false));
      } else if (outcome.getWithdrawn()) {
        LockInfo current = context.stateMachine().read((view, meta) ->
            LockReader.state(view, space, name).map(s -> LockReader.info(name, s, false))
                .orElse(null));
        send(answers.notAcquired(current, r.getRevision()));
      } else if (outcome.getSessionAlive()) {
        fail(endedWithoutGrant(true));
      } else {
        // The leader's answer: this member may not have applied the session's end yet, and
        // only its record says how the session ended.
        context.reads().read(true, r.getRevision(),
                (view, meta) -> SessionStore.notFound(view, session))
            .orTimeout(LOCAL_APPLY_WAIT_MS, TimeUnit.MILLISECONDS)
            .whenComplete((notFound, readError) -> fail(readError == null ? notFound
                : endedWithoutGrant(false)));
      }
    });
  }

  private void onCancelled() {
    cancelled = true;
    long id = waiterId;
    if (id == 0 || !decide()) {
      return;
    }
    stopWaiting();
    withdraw(id);
  }

  private void stopWaiting() {
    ScheduledFuture<?> t = timer;
    if (t != null) {
      t.cancel(false);
    }
    CompletableFuture<LockWaits.Fate> f = fate;
    if (f != null) {
      f.cancel(false);
    }
  }

  /** Withdraws the wait if it still waits, through the log; idempotent. */
  private CompletableFuture<CommandResult> withdraw(long id) {
    Command.Builder release = Command.newBuilder().setReleaseLock(ReleaseLock.newBuilder()
        .setName(name).setWaiterId(id));
    Command command = space == LockSpace.LOCK ? release.build()
        : Command.newBuilder().setResign(release.getReleaseLock()).build();
    CompletableFuture<CommandResult> done = context.writes().submitAsIs(command);
    done.whenComplete((r, error) -> {
      if (error != null) {
        LOG.warn("could not withdraw waiter {} of \"{}\" ({}); it stays until granted and"
            + " released, or until its session {} ends", id, name, error.toString(), session);
      }
    });
    return done;
  }

  private boolean decide() {
    return decided.compareAndSet(false, true);
  }

  private void send(R response) {
    if (observer instanceof ServerCallStreamObserver<R> call && call.isCancelled()) {
      return;
    }
    try {
      observer.onNext(response);
      observer.onCompleted();
    } catch (RuntimeException cancelledMeanwhile) {
      // The caller went away between the check and the send.
    }
  }

  private void fail(Throwable error) {
    if (observer instanceof ServerCallStreamObserver<R> call && call.isCancelled()) {
      return;
    }
    try {
      observer.onError(ApiErrors.toStatus(error));
    } catch (RuntimeException cancelledMeanwhile) {
      // The caller went away between the check and the send.
    }
  }
}
