package io.coord.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.proto.v1.ClusterGrpc;
import io.coord.proto.v1.KVGrpc;
import io.coord.proto.v1.MemberListRequest;
import io.coord.proto.v1.MemberListResponse;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.PutResponse;
import io.coord.proto.v1.ResponseHeader;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Once the client knows where the leader answers, writes go there first. */
class LeaderHintTest {
  private static final long LEADER = 3;
  private final List<Server> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(Server::shutdownNow);
  }

  private String member(long id, AtomicInteger puts) throws Exception {
    ResponseHeader header = ResponseHeader.newBuilder().setMemberId(id).setLeaderId(LEADER)
        .build();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new KVGrpc.KVImplBase() {
          @Override
          public void put(PutRequest request, StreamObserver<PutResponse> observer) {
            puts.incrementAndGet();
            observer.onNext(PutResponse.newBuilder().setHeader(header).build());
            observer.onCompleted();
          }
        })
        .addService(new ClusterGrpc.ClusterImplBase() {
          @Override
          public void memberList(MemberListRequest request,
              StreamObserver<MemberListResponse> observer) {
            observer.onNext(MemberListResponse.newBuilder().setHeader(header).build());
            observer.onCompleted();
          }
        })
        .build().start();
    servers.add(server);
    return "127.0.0.1:" + server.getPort();
  }

  @Test
  void writesFollowTheLeaderOnceItsEndpointIsKnown() throws Exception {
    AtomicInteger followerPuts = new AtomicInteger();
    AtomicInteger leaderPuts = new AtomicInteger();
    List<String> endpoints = List.of(member(1, followerPuts), member(2, new AtomicInteger()),
        member(LEADER, leaderPuts));
    try (Transport transport = new Transport(endpoints, Duration.ofSeconds(2))) {
      PutRequest put = PutRequest.getDefaultInstance();
      transport.write(KVGrpc.getPutMethod(), put, Duration.ofSeconds(5)).join();
      assertThat(followerPuts.get()).as("the first write goes to the first endpoint").isOne();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        transport.write(KVGrpc.getPutMethod(), put, Duration.ofSeconds(5)).join();
        return leaderPuts.get() > 0;
      });
      int before = followerPuts.get();
      for (int i = 0; i < 20; i++) {
        transport.write(KVGrpc.getPutMethod(), put, Duration.ofSeconds(5)).join();
      }
      assertThat(followerPuts.get()).isEqualTo(before);
      assertThat(leaderPuts.get()).isGreaterThanOrEqualTo(20);
    }
  }
}
