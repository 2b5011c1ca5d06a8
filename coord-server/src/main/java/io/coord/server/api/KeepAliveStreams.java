package io.coord.server.api;

import io.coord.proto.v1.EndedSession;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.SessionGrpc;
import io.coord.proto.v1.SessionKeepAliveRequest;
import io.coord.proto.v1.SessionKeepAliveResponse;
import io.coord.server.cluster.LeaderRoute;
import io.coord.server.cluster.TermCheck;
import io.coord.server.error.CoordError;
import io.coord.server.raft.RaftNode;
import io.coord.server.session.SessionReader;
import io.coord.server.session.SessionTracker;
import io.coord.server.statemachine.CoordStateMachine;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keep-alive streams this member serves. On the ready leader a stream renews deadlines in
 * the {@link SessionTracker} and acknowledges each renewal once a {@link TermCheck} round that
 * started after it confirmed the leader's term. On any other member the stream is relayed to
 * the leader, once (a relayed stream is never relayed again). A stream fails with UNAVAILABLE
 * when the leader it depends on changes and when this member stops: the client reconnects.
 */
public final class KeepAliveStreams implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeepAliveStreams.class);
  private final SessionTracker tracker;
  private final TermCheck termCheck;
  private final LeaderRoute route;
  private final RaftNode raft;
  private final CoordStateMachine stateMachine;
  private final Headers headers;
  private final Set<Stream> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public KeepAliveStreams(SessionTracker tracker, TermCheck termCheck, LeaderRoute route,
      RaftNode raft, CoordStateMachine stateMachine, Headers headers) {
    this.tracker = tracker;
    this.termCheck = termCheck;
    this.route = route;
    this.raft = raft;
    this.stateMachine = stateMachine;
    this.headers = headers;
    tracker.onDeactivated(() -> failAll(LocalStream.class,
        "this member is no longer the ready leader; reconnect"));
  }

  /** Starts serving one stream. */
  StreamObserver<SessionKeepAliveRequest> open(
      StreamObserver<SessionKeepAliveResponse> responses, boolean forwarded) {
    ServerCallStreamObserver<SessionKeepAliveResponse> call =
        (ServerCallStreamObserver<SessionKeepAliveResponse>) responses;
    try {
      return start(call, forwarded);
    } catch (RuntimeException e) {
      call.onError(ApiErrors.toStatus(e));
      return refused();
    }
  }

  private StreamObserver<SessionKeepAliveRequest> start(
      ServerCallStreamObserver<SessionKeepAliveResponse> call, boolean forwarded) {
    Stream stream;
    if (closed) {
      return refuse(call, CoordError.notReady("member stopping"));
    }
    if (tracker.isActive()) {
      stream = new LocalStream(call);
    } else if (forwarded) {
      return refuse(call, CoordError.notReady("this member is not a ready leader (a relayed "
          + "keep-alive stream is not relayed again)"));
    } else {
      Optional<LeaderRoute.Target> leader = route.remoteLeader();
      if (leader.isEmpty()) {
        return refuse(call, raft.name().equals(raft.leaderName())
            ? CoordError.notReady("this member was just elected and is not ready yet")
            : CoordError.noLeader("no leader is known to relay keep-alives to"));
      }
      stream = new RelayStream(call, leader.get());
    }
    open.add(stream);
    call.setOnCancelHandler(stream::cancelled);
    if (closed) {
      stream.fail("member stopping");
    }
    return stream;
  }

  private static StreamObserver<SessionKeepAliveRequest> refuse(
      ServerCallStreamObserver<SessionKeepAliveResponse> call, CoordError error) {
    call.onError(ApiErrors.toStatus(error));
    return refused();
  }

  /** The request side of a stream that was refused: ignores whatever comes. */
  private static StreamObserver<SessionKeepAliveRequest> refused() {
    return new StreamObserver<>() {
      @Override
      public void onNext(SessionKeepAliveRequest value) {}

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  private void failAll(Class<? extends Stream> kind, String why) {
    for (Stream stream : open) {
      if (kind.isInstance(stream)) {
        stream.fail(why);
      }
    }
  }

  /** Fails every stream, so no call keeps the API server from stopping. */
  @Override
  public void close() {
    closed = true;
    failAll(Stream.class, "member stopping");
  }

  /** One client stream; responses are sent under its lock, once it ended nothing is sent. */
  private abstract class Stream implements StreamObserver<SessionKeepAliveRequest> {
    final ServerCallStreamObserver<SessionKeepAliveResponse> call;
    private boolean ended;

    Stream(ServerCallStreamObserver<SessionKeepAliveResponse> call) {
      this.call = call;
    }

    synchronized void send(SessionKeepAliveResponse response) {
      if (!ended && !call.isCancelled()) {
        try {
          call.onNext(response);
        } catch (RuntimeException cancelledMeanwhile) {
          end();
        }
      }
    }

    /** Ends the stream with UNAVAILABLE, telling the client to reconnect. */
    void fail(String why) {
      if (end()) {
        LOG.debug("keep-alive stream failed: {}", why);
        try {
          call.onError(ApiErrors.toStatus(new CoordError(ErrorReason.NOT_READY,
              "keep-alive stream ended: " + why)));
        } catch (RuntimeException cancelledMeanwhile) {
          // Nobody listens any more.
        }
        stopped();
      }
    }

    /** Marks the stream ended; true the first time. */
    synchronized boolean end() {
      if (ended) {
        return false;
      }
      ended = true;
      open.remove(this);
      return true;
    }

    void cancelled() {
      if (end()) {
        stopped();
      }
    }

    @Override
    public void onError(Throwable t) {
      cancelled();
    }

    @Override
    public void onCompleted() {
      if (end()) {
        try {
          call.onCompleted();
        } catch (RuntimeException cancelledMeanwhile) {
          // Nobody listens any more.
        }
        stopped();
      }
    }

    /** Releases what the stream holds (the upstream of a relay). */
    void stopped() {}
  }

  /** A stream served by this member as the ready leader. */
  private final class LocalStream extends Stream {
    LocalStream(ServerCallStreamObserver<SessionKeepAliveResponse> call) {
      super(call);
    }

    @Override
    public void onNext(SessionKeepAliveRequest request) {
      long id = request.getId();
      SessionTracker.KeepAlive renewal = tracker.keepAlive(id);
      switch (renewal.outcome()) {
        case NOT_LEADER -> fail("this member is no longer the ready leader; reconnect");
        case GONE -> send(gone(request));
        case EXPIRING -> renewal.expiry().whenComplete((ended, error) -> {
          if (Boolean.TRUE.equals(ended)) {
            send(gone(request));
          } else {
            fail("the session's expiry was not committed (leadership moved or the proposal"
                + " failed); reconnect");
          }
        });
        case RENEWED -> termCheck.confirm(renewal.term()).whenComplete((confirmed, error) -> {
          if (Boolean.TRUE.equals(confirmed) && tracker.stillRenewed(id, renewal)) {
            send(SessionKeepAliveResponse.newBuilder()
                .setHeader(headers.at(stateMachine.revision()))
                .setId(id)
                .setNonce(request.getNonce())
                .setTtl(renewal.ttlMs() / 1000)
                .build());
          } else if (tracker.isActive() && tracker.remainingMs(id) < 0) {
            send(gone(request));
          } else {
            fail("the leader could not confirm its term with a majority; reconnect");
          }
        });
      }
    }

    private SessionKeepAliveResponse gone(SessionKeepAliveRequest request) {
      SessionKeepAliveResponse.Builder response = SessionKeepAliveResponse.newBuilder()
          .setHeader(headers.at(stateMachine.revision()))
          .setId(request.getId())
          .setNonce(request.getNonce())
          .setTtl(0);
      Optional<EndedSession> end;
      try {
        end = stateMachine.read((view, meta) -> SessionReader.ended(view, request.getId()));
      } catch (RuntimeException storeClosed) {
        end = Optional.empty();
      }
      end.ifPresent(response::setEnd);
      return response.build();
    }
  }

  /** A stream relayed to the leader this member knew when it opened. */
  private final class RelayStream extends Stream {
    private final LeaderRoute.Target leader;
    /** Guards {@link #upstream}, which is not thread-safe. */
    private final Object upstreamLock = new Object();
    private ClientCallStreamObserver<SessionKeepAliveRequest> upstream;

    RelayStream(ServerCallStreamObserver<SessionKeepAliveResponse> call,
        LeaderRoute.Target leader) {
      super(call);
      this.leader = leader;
      SessionGrpc.newStub(route.forwarded(leader.address())).keepAlive(
          new ClientResponseObserver<SessionKeepAliveRequest, SessionKeepAliveResponse>() {
            @Override
            public void beforeStart(
                ClientCallStreamObserver<SessionKeepAliveRequest> requestStream) {
              synchronized (upstreamLock) {
                upstream = requestStream;
              }
            }

            @Override
            public void onNext(SessionKeepAliveResponse response) {
              send(response);
            }

            @Override
            public void onError(Throwable t) {
              fail("relay to leader " + leader.name() + " failed: " + describe(t));
            }

            @Override
            public void onCompleted() {
              fail("leader " + leader.name() + " ended the stream");
            }
          });
    }

    @Override
    public void onNext(SessionKeepAliveRequest request) {
      String current;
      try {
        current = raft.leaderName();
      } catch (RuntimeException notRunning) {
        current = null;
      }
      if (!Objects.equals(leader.name(), current)) {
        fail("the leader changed from " + leader.name() + "; reconnect");
        return;
      }
      synchronized (upstreamLock) {
        try {
          upstream.onNext(request);
        } catch (RuntimeException upstreamGone) {
          fail("relay to leader " + leader.name() + " failed: " + upstreamGone.getMessage());
        }
      }
    }

    @Override
    void stopped() {
      synchronized (upstreamLock) {
        try {
          upstream.cancel("downstream ended", null);
        } catch (RuntimeException alreadyDone) {
          // The upstream call is over already.
        }
      }
    }
  }

  private static String describe(Throwable t) {
    Status status = t instanceof StatusRuntimeException e ? e.getStatus() : Status.fromThrowable(t);
    return status.getCode() + (status.getDescription() == null ? ""
        : " " + status.getDescription());
  }
}
