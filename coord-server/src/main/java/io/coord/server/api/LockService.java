package io.coord.server.api;

import io.coord.proto.v1.LockAcquireRequest;
import io.coord.proto.v1.LockAcquireResponse;
import io.coord.proto.v1.LockBreakRequest;
import io.coord.proto.v1.LockBreakResponse;
import io.coord.proto.v1.LockGrant;
import io.coord.proto.v1.LockGrpc;
import io.coord.proto.v1.LockInfo;
import io.coord.proto.v1.LockInspectRequest;
import io.coord.proto.v1.LockInspectResponse;
import io.coord.proto.v1.LockKind;
import io.coord.proto.v1.LockListRequest;
import io.coord.proto.v1.LockListResponse;
import io.coord.proto.v1.LockReleaseRequest;
import io.coord.proto.v1.LockReleaseResponse;
import io.coord.proto.v1.LockWait;
import io.coord.server.command.AcquireLock;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.LockEntry;
import io.coord.server.command.ReleaseLock;
import io.coord.server.error.CoordError;
import io.coord.server.lock.LockReader;
import io.coord.server.lock.LockSpace;
import io.grpc.stub.StreamObserver;

/**
 * The Lock gRPC service. Acquire proposes one command (grant, queue or refuse) and, when
 * queued, waits on this member for the grant ({@link WaitingAcquire}); Release and Break go
 * through the log; Inspect and List read the lock state.
 */
public final class LockService extends LockGrpc.LockImplBase {
  private final LockRequestValidator validator;
  private final WaitingAcquire.Context waiting;
  private final WritePath writes;
  private final ReadPath reads;
  private final Headers headers;
  private final Calls calls;

  LockService(LockRequestValidator validator, WaitingAcquire.Context waiting, ReadPath reads,
      Headers headers) {
    this.validator = validator;
    this.waiting = waiting;
    this.writes = waiting.writes();
    this.reads = reads;
    this.headers = headers;
    this.calls = waiting.calls();
  }

  @Override
  public void acquire(LockAcquireRequest request,
      StreamObserver<LockAcquireResponse> observer) {
    try {
      validator.checkAcquire(request);
    } catch (CoordError invalid) {
      observer.onError(ApiErrors.toStatus(invalid));
      return;
    }
    String name = request.getName();
    LockKind kind = request.getKind();
    WaitingAcquire.Answers<LockAcquireResponse> answers = new WaitingAcquire.Answers<>() {
      @Override
      public LockAcquireResponse granted(LockEntry grant, boolean reentrant) {
        return LockAcquireResponse.newBuilder()
            .setHeader(headers.at(grant.getRevision()))
            .setAcquired(true)
            .setGrant(LockGrant.newBuilder()
                .setName(name)
                .setToken(grant.getToken())
                .setSession(grant.getSession())
                .setMode(grant.getMode())
                .setHeldSinceMs(grant.getSinceMs())
                .setRevision(grant.getRevision())
                .setReentrant(reentrant)
                .setKind(kind))
            .build();
      }

      @Override
      public LockAcquireResponse notAcquired(LockInfo current, long revision) {
        LockAcquireResponse.Builder response = LockAcquireResponse.newBuilder()
            .setHeader(headers.at(revision));
        if (current != null) {
          response.setLock(current);
        }
        return response.build();
      }
    };
    long timeoutMs = request.getWait() == LockWait.WAIT_TIMEOUT ? request.getTimeoutMs() : 0;
    new WaitingAcquire<>(waiting, LockSpace.LOCK, name, request.getSession(), timeoutMs,
        observer, answers).start(Command.newBuilder().setAcquireLock(AcquireLock.newBuilder()
            .setName(name)
            .setSession(request.getSession())
            .setKind(kind)
            .setPermits(request.getPermits())
            .setMode(request.getMode())
            .setNoWait(request.getWait() == LockWait.NO_WAIT)),
        CommandResult::getAcquireLock);
  }

  @Override
  public void release(LockReleaseRequest request,
      StreamObserver<LockReleaseResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkRelease(request);
      ReleaseLock.Builder release = ReleaseLock.newBuilder().setName(request.getName());
      if (request.getHolderCase() == LockReleaseRequest.HolderCase.TOKEN) {
        release.setToken(request.getToken());
      } else {
        release.setSession(request.getSession());
      }
      return writes.submit(Command.newBuilder().setReleaseLock(release)).thenApply(result ->
          LockReleaseResponse.newBuilder()
              .setHeader(headers.at(result.getRevision()))
              .setReleased(result.getReleaseLock().getReleased())
              .setWaitWithdrawn(result.getReleaseLock().getWithdrawn())
              .build());
    });
  }

  @Override
  public void inspect(LockInspectRequest request,
      StreamObserver<LockInspectResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkName("lock_inspect.name", request.getName());
      return reads.read(request.getSerializable(), 0, (view, meta) -> {
        LockInspectResponse.Builder response = LockInspectResponse.newBuilder()
            .setHeader(headers.at(meta.revision()));
        LockReader.state(view, LockSpace.LOCK, request.getName()).ifPresent(state ->
            response.setLock(LockReader.info(request.getName(), state, true)));
        LockReader.lastBreak(view, LockSpace.LOCK, request.getName())
            .ifPresent(response::setLastBreak);
        return response.build();
      });
    });
  }

  @Override
  public void list(LockListRequest request, StreamObserver<LockListResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkPrefix("lock_list.prefix", request.getPrefix());
      return reads.read(request.getSerializable(), 0, (view, meta) -> {
        LockListResponse.Builder response = LockListResponse.newBuilder()
            .setHeader(headers.at(meta.revision()));
        for (LockReader.Named named : LockReader.list(view, LockSpace.LOCK,
            request.getPrefix())) {
          response.addLocks(LockReader.info(named.name(), named.state(), false));
        }
        return response.build();
      });
    });
  }

  @Override
  public void break_(LockBreakRequest request, StreamObserver<LockBreakResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkBreak(request);
      return writes.submit(Command.newBuilder().setBreakLock(request)).thenApply(result ->
          result.getBreakLock().toBuilder().setHeader(headers.at(result.getRevision()))
              .build());
    });
  }
}
