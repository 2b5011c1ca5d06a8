package io.coord.server.api;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.proto.v1.CampaignRequest;
import io.coord.proto.v1.CampaignResponse;
import io.coord.proto.v1.ElectionEvent;
import io.coord.proto.v1.ElectionGrpc;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.Event;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.LeaderRequest;
import io.coord.proto.v1.LeaderResponse;
import io.coord.proto.v1.Leadership;
import io.coord.proto.v1.LockInfo;
import io.coord.proto.v1.ObserveRequest;
import io.coord.proto.v1.ObserveResponse;
import io.coord.proto.v1.ProclaimRequest;
import io.coord.proto.v1.ProclaimResponse;
import io.coord.proto.v1.ResignRequest;
import io.coord.proto.v1.ResignResponse;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.proto.v1.WatchResponse;
import io.coord.server.command.AcquireLock;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.LockEntry;
import io.coord.server.command.ReleaseLock;
import io.coord.server.election.ElectionProjection;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KeyRange;
import io.coord.server.kv.KvReader;
import io.coord.server.lock.LockReader;
import io.coord.server.lock.LockSpace;
import io.coord.server.watch.ResponseSink;
import io.coord.server.watch.WatchHub;
import io.coord.server.watch.WatchStream;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * The Election gRPC service: Campaign waits like a lock Acquire ({@link WaitingAcquire}) in the
 * election space; Proclaim and Resign go through the log; Leader reads the state; Observe is a
 * watch of the hub on the election's reserved key, whose every write is a change of leader or
 * value and whose deletion is "no leader" ({@link ElectionProjection}), so the watch's
 * guarantees (ordered, exactly once, resumable) carry over.
 */
public final class ElectionService extends ElectionGrpc.ElectionImplBase {
  private final LockRequestValidator validator;
  private final WaitingAcquire.Context waiting;
  private final WritePath writes;
  private final ReadPath reads;
  private final Headers headers;
  private final Calls calls;
  private final WatchHub hub;

  ElectionService(LockRequestValidator validator, WaitingAcquire.Context waiting,
      ReadPath reads, Headers headers, WatchHub hub) {
    this.validator = validator;
    this.waiting = waiting;
    this.writes = waiting.writes();
    this.reads = reads;
    this.headers = headers;
    this.calls = waiting.calls();
    this.hub = hub;
  }

  @Override
  public void campaign(CampaignRequest request, StreamObserver<CampaignResponse> observer) {
    try {
      validator.checkCampaign(request);
    } catch (CoordError invalid) {
      observer.onError(ApiErrors.toStatus(invalid));
      return;
    }
    String name = request.getName();
    WaitingAcquire.Answers<CampaignResponse> answers = new WaitingAcquire.Answers<>() {
      @Override
      public CampaignResponse granted(LockEntry grant, boolean reentrant) {
        return CampaignResponse.newBuilder()
            .setHeader(headers.at(grant.getRevision()))
            .setElected(true)
            .setLeader(ElectionProjection.leadership(name, grant))
            .build();
      }

      @Override
      public CampaignResponse notAcquired(LockInfo current, long revision) {
        return CampaignResponse.newBuilder().setHeader(headers.at(revision)).build();
      }
    };
    new WaitingAcquire<>(waiting, LockSpace.ELECTION, name, request.getSession(),
        request.getTimeoutMs(), observer, answers).start(Command.newBuilder().setCampaign(
            AcquireLock.newBuilder().setName(name).setSession(request.getSession())
                .setValue(request.getValue())),
        CommandResult::getCampaign);
  }

  @Override
  public void proclaim(ProclaimRequest request, StreamObserver<ProclaimResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkProclaim(request);
      return writes.submit(Command.newBuilder().setProclaim(request)).thenApply(result ->
          ProclaimResponse.newBuilder().setHeader(headers.at(result.getRevision()))
              .setLeader(result.getProclaim()).build());
    });
  }

  @Override
  public void leader(LeaderRequest request, StreamObserver<LeaderResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkName("leader.name", request.getName());
      return reads.read(request.getSerializable(), 0, (view, meta) -> {
        LeaderResponse.Builder response = LeaderResponse.newBuilder()
            .setHeader(headers.at(meta.revision()));
        LockReader.state(view, LockSpace.ELECTION, request.getName())
            .filter(state -> state.getHoldersCount() > 0)
            .ifPresent(state -> response.setLeader(
                ElectionProjection.leadership(request.getName(), state.getHolders(0))));
        return response.build();
      });
    });
  }

  @Override
  public void resign(ResignRequest request, StreamObserver<ResignResponse> observer) {
    calls.unary(observer, () -> {
      validator.checkName("resign.name", request.getName());
      ReleaseLock.Builder release = ReleaseLock.newBuilder().setName(request.getName());
      switch (request.getLeaderCase()) {
        case TERM -> {
          LockRequestValidator.checkPositive("resign.term", request.getTerm());
          release.setToken(request.getTerm());
        }
        case SESSION -> {
          LockRequestValidator.checkSession("resign.session", request.getSession());
          release.setSession(request.getSession());
        }
        case LEADER_NOT_SET -> throw CoordError.invalidField("resign",
            "set term (end that leadership) or session (end what it leads or campaigns for)");
      }
      return writes.submit(Command.newBuilder().setResign(release)).thenApply(result ->
          ResignResponse.newBuilder().setHeader(headers.at(result.getRevision()))
              .setResigned(result.getResign().getReleased())
              .setWithdrawn(result.getResign().getWithdrawn()).build());
    });
  }

  @Override
  public void observe(ObserveRequest request, StreamObserver<ObserveResponse> responses) {
    ServerCallStreamObserver<ObserveResponse> call =
        (ServerCallStreamObserver<ObserveResponse>) responses;
    String name = request.getName();
    try {
      validator.checkName("observe.name", name);
      if (request.getStartRevision() < 0) {
        throw CoordError.invalidField("observe.start_revision", "must not be negative (got "
            + request.getStartRevision() + "); 0 starts with the current state");
      }
    } catch (CoordError invalid) {
      call.onError(ApiErrors.toStatus(invalid));
      return;
    }
    byte[] key = LockSpace.ELECTION.projectionKey(name);
    // The call's handlers must be set before this method returns.
    ObserveSink sink = new ObserveSink(call, name);
    WatchStream stream = hub.openStream(sink);
    sink.stream = stream;
    call.setOnReadyHandler(stream::onReady);
    call.setOnCancelHandler(() -> hub.closeStream(stream));
    if (request.getStartRevision() > 0) {
      watch(stream, key, request.getStartRevision());
      return;
    }
    reads.read(false, 0, (view, meta) -> {
      List<KeyValue> current = KvReader.current(view, KeyRange.of(key, new byte[0]));
      long revision = meta.revision();
      ElectionEvent.Builder event = ElectionEvent.newBuilder().setRevision(revision);
      if (current.isEmpty()) {
        event.setType(ElectionEvent.Type.NO_LEADER);
      } else {
        event.setType(ElectionEvent.Type.LEADER).setLeader(parse(current.get(0).getValue()));
      }
      return ObserveResponse.newBuilder().setHeader(headers.at(revision)).setEvent(event)
          .build();
    }).whenComplete((initial, error) -> {
      if (error != null) {
        sink.close(error instanceof CoordError coord ? coord
            : CoordError.notReady("cannot read the election (" + ApiErrors.unwrap(error)
                .getMessage() + ")"));
        hub.closeStream(stream);
        return;
      }
      if (sink.sendInitial(initial)) {
        watch(stream, key, initial.getEvent().getRevision() + 1);
      }
    });
  }

  private void watch(WatchStream stream, byte[] key, long start) {
    hub.create(stream, WatchCreateRequest.newBuilder().setKey(ByteString.copyFrom(key))
        .setStartRevision(start).build());
  }

  private static Leadership parse(ByteString value) {
    try {
      return Leadership.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("corrupt leader record", e);
    }
  }

  /** Turns the watch's responses into election events; a cancelled watch ends the call. */
  private final class ObserveSink implements ResponseSink {
    private final ServerCallStreamObserver<ObserveResponse> call;
    private final String name;
    private volatile WatchStream stream;
    private boolean done;

    ObserveSink(ServerCallStreamObserver<ObserveResponse> call, String name) {
      this.call = call;
      this.name = name;
    }

    @Override
    public boolean isReady() {
      return call.isReady();
    }

    /** Sends the state the observation starts from; false if the call is over. */
    synchronized boolean sendInitial(ObserveResponse initial) {
      if (done || call.isCancelled()) {
        return false;
      }
      try {
        call.onNext(initial);
        return true;
      } catch (RuntimeException gone) {
        done = true;
        return false;
      }
    }

    @Override
    public synchronized void send(WatchResponse response) {
      if (done) {
        return;
      }
      if (response.getCanceled()) {
        done = true;
        CoordError error = response.getCompactRevision() > 0
            ? CoordError.compacted(response.getHeader().getRevision(),
                response.getCompactRevision())
            : response.getErrorReason() == ErrorReason.NO_LEADER
                ? new CoordError(ErrorReason.NO_LEADER, "the observation of \"" + name
                    + "\" ended (" + response.getCancelReason() + ")")
                : CoordError.notReady("the observation of \"" + name + "\" ended ("
                    + response.getCancelReason() + "); observe again from your last"
                    + " revision + 1");
        if (response.getCompactRevision() > 0) {
          error = new CoordError(error.reason(), "the changes of \"" + name + "\" this"
              + " observation needs were compacted (compact revision "
              + response.getCompactRevision() + "): read the leader, then observe from its"
              + " revision + 1", error.metadata());
        }
        call.onError(ApiErrors.toStatus(error));
        WatchStream s = stream;
        if (s != null) {
          hub.closeStream(s);
        }
        return;
      }
      for (Event event : response.getEventsList()) {
        ElectionEvent.Builder out = ElectionEvent.newBuilder()
            .setRevision(event.getKv().getModRevision());
        if (event.getType() == Event.EventType.PUT) {
          out.setType(ElectionEvent.Type.LEADER).setLeader(parse(event.getKv().getValue()));
        } else {
          out.setType(ElectionEvent.Type.NO_LEADER);
        }
        call.onNext(ObserveResponse.newBuilder().setHeader(response.getHeader())
            .setEvent(out).build());
      }
    }

    @Override
    public synchronized void close(CoordError error) {
      if (done || call.isCancelled()) {
        return;
      }
      done = true;
      if (error == null) {
        call.onCompleted();
      } else {
        call.onError(ApiErrors.toStatus(error));
      }
    }
  }
}
