package io.coord.server.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.proto.v1.KVGrpc;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.PutResponse;
import io.coord.server.command.RequestId;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exactly-once identity a write's metadata carries, as the services see it. */
class RequestIdsTest {
  private final AtomicReference<RequestId> seen = new AtomicReference<>();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws IOException {
    String name = InProcessServerBuilder.generateName();
    KVGrpc.KVImplBase kv = new KVGrpc.KVImplBase() {
      @Override
      public void put(PutRequest request, StreamObserver<PutResponse> observer) {
        seen.set(RequestIds.current());
        observer.onNext(PutResponse.getDefaultInstance());
        observer.onCompleted();
      }
    };
    server = InProcessServerBuilder.forName(name).directExecutor()
        .addService(ServerInterceptors.intercept(kv, new RequestIds())).build().start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    server.shutdownNow();
  }

  @Test
  void theIdentityReachesTheCall() {
    put("7", "12", "10");
    assertThat(seen.get()).isEqualTo(RequestId.newBuilder().setClientId(7).setSeq(12)
        .setFirstIncompleteSeq(10).build());
  }

  @Test
  void aSequenceEqualToTheFirstIncompleteOneIsTheWriteInFlight() {
    put("7", "10", "10");
    assertThat(seen.get().getSeq()).isEqualTo(10);
  }

  @Test
  void sequencesCompareAsUnsignedNumbers() {
    put("7", "18446744073709551615", "9223372036854775808");
    assertThat(seen.get().getSeq()).isEqualTo(-1L);
  }

  @Test
  void aSequenceBelowItsOwnFirstIncompleteSequenceIsRefusedNamingBoth() {
    assertThatThrownBy(() -> put("7", "9", "10"))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessage("INVALID_ARGUMENT: metadata coord-seq (9) must be at or above"
            + " coord-first-incomplete-seq (10): a client declares complete only sequences it"
            + " sent and got an answer for");
    assertThat(seen.get()).isNull();
  }

  @Test
  void aClientIdWithoutSequenceIsRefused() {
    assertThatThrownBy(() -> put("7", null, null))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageStartingWith("INVALID_ARGUMENT: metadata coord-client-id must be a non-zero");
    assertThat(seen.get()).isNull();
  }

  private void put(String clientId, String seq, String firstIncomplete) {
    Metadata headers = new Metadata();
    headers.put(RequestIds.CLIENT_ID, clientId);
    if (seq != null) {
      headers.put(RequestIds.SEQ, seq);
    }
    if (firstIncomplete != null) {
      headers.put(RequestIds.FIRST_INCOMPLETE_SEQ, firstIncomplete);
    }
    KVGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .put(PutRequest.getDefaultInstance());
  }
}
