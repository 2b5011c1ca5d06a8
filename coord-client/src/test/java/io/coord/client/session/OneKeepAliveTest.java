package io.coord.client.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.proto.v1.ClusterGrpc;
import io.coord.proto.v1.KVGrpc;
import io.coord.proto.v1.MemberListRequest;
import io.coord.proto.v1.MemberListResponse;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.PutResponse;
import io.coord.proto.v1.ResponseHeader;
import io.coord.proto.v1.SessionGrpc;
import io.coord.proto.v1.SessionKeepAliveRequest;
import io.coord.proto.v1.SessionKeepAliveResponse;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A one-off keep-alive goes to the leader first when the client knows where it answers: the
 * leader decides renewals, and a follower would only forward the stream to it.
 */
@Timeout(60)
class OneKeepAliveTest {
  private static final long LEADER = 2;

  /** One call as a fake member saw it. */
  record Seen(String member, String method) {}

  private final List<Server> servers = new ArrayList<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(Server::shutdownNow);
  }

  @Test
  void theFirstAttemptGoesToTheKnownLeader() throws Exception {
    String follower = member("follower", 1);
    String leader = member("leader", LEADER);
    try (CoordClient client = CoordClient.builder().endpoints(List.of(follower, leader))
        .requestTimeout(Duration.ofSeconds(20)).build()) {
      // Answers name the leader; the client learns where it answers from the leader's own
      // answers or by asking every member. Once it knows, writes go there first.
      await().atMost(Duration.ofSeconds(20)).until(() -> {
        seen.clear();
        client.kv().put("k", "v");
        return seen.contains(new Seen("leader", "Put"));
      });
      seen.clear();

      KeepAliveResult result = client.sessions().keepAliveOnce(7);

      assertThat(result.alive()).isTrue();
      // A member probe sent before the client knew the leader's endpoint may still land.
      assertThat(seen).filteredOn(s -> s.method().equals("KeepAlive"))
          .containsExactly(new Seen("leader", "KeepAlive"));
    }
  }

  private String member(String name, long memberId) throws Exception {
    ResponseHeader header = ResponseHeader.newBuilder().setMemberId(memberId)
        .setLeaderId(LEADER).setRevision(1).build();
    KVGrpc.KVImplBase kv = new KVGrpc.KVImplBase() {
      @Override
      public void put(PutRequest request, StreamObserver<PutResponse> observer) {
        seen.add(new Seen(name, "Put"));
        observer.onNext(PutResponse.newBuilder().setHeader(header).build());
        observer.onCompleted();
      }
    };
    ClusterGrpc.ClusterImplBase cluster = new ClusterGrpc.ClusterImplBase() {
      @Override
      public void memberList(MemberListRequest request,
          StreamObserver<MemberListResponse> observer) {
        seen.add(new Seen(name, "MemberList"));
        observer.onNext(MemberListResponse.newBuilder().setHeader(header)
            .setLeaderId(LEADER).build());
        observer.onCompleted();
      }
    };
    SessionGrpc.SessionImplBase sessions = new SessionGrpc.SessionImplBase() {
      @Override
      public StreamObserver<SessionKeepAliveRequest> keepAlive(
          StreamObserver<SessionKeepAliveResponse> observer) {
        return new StreamObserver<>() {
          @Override
          public void onNext(SessionKeepAliveRequest request) {
            seen.add(new Seen(name, "KeepAlive"));
            observer.onNext(SessionKeepAliveResponse.newBuilder().setHeader(header)
                .setId(request.getId()).setNonce(request.getNonce()).setTtl(10).build());
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
    };
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(kv).addService(cluster).addService(sessions).build().start();
    servers.add(server);
    return "127.0.0.1:" + server.getPort();
  }
}
