package io.coord.client.lock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.client.CoordClient;
import io.coord.client.session.Session;
import io.coord.proto.v1.LockAcquireRequest;
import io.coord.proto.v1.LockAcquireResponse;
import io.coord.proto.v1.LockGrpc;
import io.coord.proto.v1.LockReleaseRequest;
import io.coord.proto.v1.LockReleaseResponse;
import io.coord.proto.v1.SessionGrantRequest;
import io.coord.proto.v1.SessionGrantResponse;
import io.coord.proto.v1.SessionGrpc;
import io.coord.proto.v1.SessionKeepAliveRequest;
import io.coord.proto.v1.SessionKeepAliveResponse;
import io.coord.proto.v1.SessionRevokeRequest;
import io.coord.proto.v1.SessionRevokeResponse;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed acquire with the caller's session releases what the session may have been granted
 * meanwhile, and reports the failure only after that release: a caller acquiring again at
 * once must not be granted re-entrantly a grant the late release then takes away.
 */
class LockGiveUpTest {
  private static final long SESSION = 7;

  private final List<LockReleaseRequest> releases = new CopyOnWriteArrayList<>();
  private final List<StreamObserver<LockReleaseResponse>> pendingReleases =
      new CopyOnWriteArrayList<>();
  private Server server;
  private CoordClient client;

  @BeforeEach
  void start() throws Exception {
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new FakeSessions())
        .addService(new LockGrpc.LockImplBase() {
          @Override
          public void acquire(LockAcquireRequest request,
              StreamObserver<LockAcquireResponse> observer) {
            observer.onError(Status.INTERNAL.withDescription("the wait broke").asException());
          }

          @Override
          public void release(LockReleaseRequest request,
              StreamObserver<LockReleaseResponse> observer) {
            releases.add(request);
            pendingReleases.add(observer);
          }
        }).build().start();
    client = CoordClient.builder().endpoints(List.of("127.0.0.1:" + server.getPort()))
        .requestTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void stop() {
    client.close();
    server.shutdownNow();
  }

  @Test
  void aFailedAcquireFailsOnlyAfterItsSessionReleaseWasAnswered() {
    Session session = client.sessions().grant(Duration.ofSeconds(30));
    Lock lock = client.locks().lock("jobs", LockOptions.builder().session(session).build());

    CompletableFuture<HeldLock> acquire = lock.acquireAsync(Duration.ofSeconds(5));

    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !pendingReleases.isEmpty());
    assertThat(releases.get(0).getSession()).isEqualTo(SESSION);
    assertThat(acquire).as("failed before the session's release was answered").isNotDone();

    StreamObserver<LockReleaseResponse> release = pendingReleases.get(0);
    release.onNext(LockReleaseResponse.newBuilder().setReleased(true).build());
    release.onCompleted();
    assertThatThrownBy(() -> acquire.get(10, TimeUnit.SECONDS))
        .hasMessageContaining("the wait broke");
  }

  /** Grants session {@link #SESSION} and answers its keep-alives. */
  private static final class FakeSessions extends SessionGrpc.SessionImplBase {
    @Override
    public void grant(SessionGrantRequest request,
        StreamObserver<SessionGrantResponse> observer) {
      observer.onNext(SessionGrantResponse.newBuilder().setId(SESSION).setTtl(30)
          .setRequestedTtl(request.getTtl()).build());
      observer.onCompleted();
    }

    @Override
    public StreamObserver<SessionKeepAliveRequest> keepAlive(
        StreamObserver<SessionKeepAliveResponse> observer) {
      return new StreamObserver<>() {
        @Override
        public void onNext(SessionKeepAliveRequest request) {
          observer.onNext(SessionKeepAliveResponse.newBuilder().setId(request.getId())
              .setNonce(request.getNonce()).setTtl(30).build());
        }

        @Override
        public void onError(Throwable t) {
        }

        @Override
        public void onCompleted() {
          observer.onCompleted();
        }
      };
    }

    @Override
    public void revoke(SessionRevokeRequest request,
        StreamObserver<SessionRevokeResponse> observer) {
      observer.onNext(SessionRevokeResponse.getDefaultInstance());
      observer.onCompleted();
    }
  }
}
