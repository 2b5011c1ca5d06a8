package io.coord.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.proto.v1.KVGrpc;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RangeResponse;
import io.coord.proto.v1.ResponseHeader;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Requests move on through every endpoint, however many rounds it takes. */
class TransportFailoverTest {
  private final List<Server> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    servers.forEach(Server::shutdownNow);
  }

  /** A member that answers UNAVAILABLE (no leader yet) {@code failures} times, then serves. */
  private String member(int failures, AtomicInteger calls) throws Exception {
    AtomicInteger left = new AtomicInteger(failures);
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(new KVGrpc.KVImplBase() {
          @Override
          public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
            calls.incrementAndGet();
            if (left.getAndDecrement() > 0) {
              observer.onError(Status.UNAVAILABLE.withDescription("no leader").asException());
              return;
            }
            observer.onNext(RangeResponse.newBuilder()
                .setHeader(ResponseHeader.newBuilder().setRevision(7)).build());
            observer.onCompleted();
          }
        }).build().start();
    servers.add(server);
    return "127.0.0.1:" + server.getPort();
  }

  private static String deadEndpoint() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void aDeadFirstEndpointDoesNotTrapRequestsAfterAFullRoundOfFailures() throws Exception {
    AtomicInteger secondCalls = new AtomicInteger();
    AtomicInteger thirdCalls = new AtomicInteger();
    // Both live members refuse the first two times (an election in progress), so the request
    // goes round the list, dead endpoint included, more than once.
    List<String> endpoints = List.of(deadEndpoint(), member(2, secondCalls),
        member(2, thirdCalls));
    try (Transport transport = new Transport(endpoints, Duration.ofSeconds(1))) {
      RangeResponse response = transport.read(KVGrpc.getRangeMethod(),
          RangeRequest.getDefaultInstance(), Duration.ofSeconds(10)).join();
      assertThat(response.getHeader().getRevision()).isEqualTo(7);
      assertThat(secondCalls.get() + thirdCalls.get()).isGreaterThanOrEqualTo(5);
    }
  }
}
