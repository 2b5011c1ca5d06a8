package io.coord.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.proto.v1.KVGrpc;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.PutResponse;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RangeResponse;
import io.coord.proto.v1.ResponseHeader;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The exactly-once identity of writes on the wire: every attempt of one write carries the same
 * {@code coord-client-id} and {@code coord-seq} headers, whichever member it goes to and
 * whether the previous attempt timed out or was refused; another write carries another
 * sequence; reads carry none.
 */
@Timeout(60)
class WriteIdentityTest {
  private static final Metadata.Key<String> CLIENT_ID =
      Metadata.Key.of("coord-client-id", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> SEQ =
      Metadata.Key.of("coord-seq", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> FIRST_INCOMPLETE =
      Metadata.Key.of("coord-first-incomplete-seq", Metadata.ASCII_STRING_MARSHALLER);
  private static final Context.Key<Metadata> HEADERS = Context.key("headers");

  /** One call as a fake member saw it. */
  record Seen(String member, String method, String key, String clientId, String seq,
      String firstIncomplete) {}

  /** What a fake member does with the n-th attempt (from 1) of a put of one key. */
  enum Answer { HANG, UNAVAILABLE, SERVE }

  private final List<Server> servers = new ArrayList<>();
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  /** Attempts of puts per key, counted across every member. */
  private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
  private final AtomicInteger revision = new AtomicInteger(10);
  private volatile List<Answer> script = List.of(Answer.SERVE);

  @AfterEach
  void stop() {
    servers.forEach(Server::shutdownNow);
  }

  private String member(String name) throws Exception {
    KVGrpc.KVImplBase kv = new KVGrpc.KVImplBase() {
      @Override
      public void put(PutRequest request, StreamObserver<PutResponse> observer) {
        String key = request.getKey().toStringUtf8();
        record(name, "Put", key);
        int attempt = attempts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        Answer answer = attempt <= script.size() ? script.get(attempt - 1) : Answer.SERVE;
        switch (answer) {
          case HANG -> { } // Never answers: the client's attempt times out.
          case UNAVAILABLE -> observer.onError(
              Status.UNAVAILABLE.withDescription("no leader").asException());
          case SERVE -> {
            observer.onNext(PutResponse.newBuilder().setHeader(ResponseHeader.newBuilder()
                .setRevision(revision.incrementAndGet())).build());
            observer.onCompleted();
          }
        }
      }

      @Override
      public void range(RangeRequest request, StreamObserver<RangeResponse> observer) {
        record(name, "Range", request.getKey().toStringUtf8());
        observer.onNext(RangeResponse.newBuilder()
            .setHeader(ResponseHeader.newBuilder().setRevision(revision.get())).build());
        observer.onCompleted();
      }
    };
    ServerInterceptor captureHeaders = new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call,
          Metadata headers, ServerCallHandler<Q, R> next) {
        return Contexts.interceptCall(Context.current().withValue(HEADERS, headers), call,
            headers, next);
      }
    };
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(kv, captureHeaders)).build().start();
    servers.add(server);
    return "127.0.0.1:" + server.getPort();
  }

  private void record(String member, String method, String key) {
    Metadata headers = HEADERS.get();
    seen.add(new Seen(member, method, key, headers.get(CLIENT_ID), headers.get(SEQ),
        headers.get(FIRST_INCOMPLETE)));
  }

  private List<Seen> puts(String key) {
    return seen.stream().filter(s -> s.method().equals("Put") && s.key().equals(key)).toList();
  }

  @Test
  void everyAttemptOfAWriteCarriesTheSameClientIdAndSequence() throws Exception {
    // Each put: the first attempt times out, the second is refused, the third is served.
    script = List.of(Answer.HANG, Answer.UNAVAILABLE, Answer.SERVE);
    List<String> endpoints = List.of(member("a"), member("b"));
    try (CoordClient client = CoordClient.builder().endpoints(endpoints)
        .attemptTimeout(Duration.ofMillis(300)).requestTimeout(Duration.ofSeconds(20)).build()) {
      client.kv().put("first", "1");
      client.kv().put("second", "2");
      client.kv().get("first");

      String clientId = Long.toUnsignedString(client.clientId());
      List<Seen> first = puts("first");
      List<Seen> second = puts("second");
      assertThat(first).hasSize(3);
      assertThat(second).hasSize(3);
      // The retries went to another member, yet carried the same identity.
      assertThat(first.stream().map(Seen::member).distinct()).hasSize(2);
      assertThat(second.stream().map(Seen::member).distinct()).hasSize(2);
      assertThat(first).extracting(Seen::clientId).containsOnly(clientId);
      assertThat(second).extracting(Seen::clientId).containsOnly(clientId);
      assertThat(first).extracting(Seen::seq).doesNotContainNull().containsOnly(first.get(0).seq());
      assertThat(second).extracting(Seen::seq).doesNotContainNull()
          .containsOnly(second.get(0).seq());
      long firstSeq = Long.parseUnsignedLong(first.get(0).seq());
      long secondSeq = Long.parseUnsignedLong(second.get(0).seq());
      assertThat(secondSeq).isGreaterThan(firstSeq);
      // While a write is retried it is still incomplete: the server must keep its result.
      assertThat(first).allSatisfy(s ->
          assertThat(Long.parseUnsignedLong(s.firstIncomplete())).isLessThanOrEqualTo(firstSeq));
      assertThat(second).allSatisfy(s -> assertThat(Long.parseUnsignedLong(s.firstIncomplete()))
          .isBetween(firstSeq, secondSeq));

      List<Seen> reads = seen.stream().filter(s -> s.method().equals("Range")).toList();
      assertThat(reads).hasSize(1);
      assertThat(reads.get(0).seq()).isNull();
      assertThat(reads.get(0).clientId()).isNull();
    }
  }

  @Test
  void concurrentWritesHaveDistinctSequencesEachStableAcrossItsAttempts() throws Exception {
    script = List.of(Answer.UNAVAILABLE, Answer.UNAVAILABLE, Answer.SERVE);
    List<String> endpoints = List.of(member("a"), member("b"), member("c"));
    try (CoordClient client = CoordClient.builder().endpoints(endpoints)
        .attemptTimeout(Duration.ofSeconds(2)).requestTimeout(Duration.ofSeconds(20)).build()) {
      List<java.util.concurrent.CompletableFuture<?>> writes = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        writes.add(client.kv().putAsync(com.google.protobuf.ByteString.copyFromUtf8("k" + i),
            com.google.protobuf.ByteString.copyFromUtf8("v"),
            io.coord.client.kv.PutOptions.builder().build()));
      }
      writes.forEach(java.util.concurrent.CompletableFuture::join);

      List<String> sequences = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        List<Seen> attemptsOfOne = puts("k" + i);
        assertThat(attemptsOfOne).hasSize(3);
        assertThat(attemptsOfOne).extracting(Seen::seq).doesNotContainNull()
            .containsOnly(attemptsOfOne.get(0).seq());
        sequences.add(attemptsOfOne.get(0).seq());
      }
      assertThat(sequences).doesNotHaveDuplicates();
    }
  }
}
