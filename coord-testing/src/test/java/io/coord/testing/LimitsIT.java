package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.coord.client.CompactedException;
import io.coord.client.CoordClient;
import io.coord.client.FutureRevisionException;
import io.coord.client.InvalidRequestException;
import io.coord.client.LimitExceededException;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.Op;
import io.coord.client.kv.PutOptions;
import io.coord.proto.v1.KVGrpc;
import io.coord.proto.v1.PutRequest;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every limit is enforced before the log, with a status naming the field and the limit. */
@Timeout(120)
class LimitsIT {
  private static CoordTestCluster cluster;
  private static CoordClient client;

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitLeader();
    client = cluster.newClient();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aKeyOverTheLimitIsRefused() {
    assertThatThrownBy(() -> client.kv().put("k".repeat(4097), "v"))
        .isInstanceOfSatisfying(LimitExceededException.class, e -> {
          assertThat(e.field()).isEqualTo("put.key");
          assertThat(e.limit()).isEqualTo(4096);
        })
        .hasMessageContaining("coord.limits.max-key-bytes");
  }

  @Test
  void aValueOverTheLimitIsRefusedAndNothingIsWritten() {
    long before = client.kv().get("big").header().revision();
    assertThatThrownBy(() -> client.kv().putAsync(ByteString.copyFromUtf8("big"),
        ByteString.copyFrom(new byte[(1 << 20) + 1]), PutOptions.DEFAULT).join())
        .hasCauseInstanceOf(LimitExceededException.class)
        .hasMessageContaining("put.value: 1048577 bytes, over the limit of 1048576 bytes");
    var after = client.kv().get("big");
    assertThat(after.kvs()).isEmpty();
    assertThat(after.header().revision()).isEqualTo(before);
  }

  @Test
  void aValueAtTheLimitIsAccepted() {
    client.kv().putAsync(ByteString.copyFromUtf8("max"), ByteString.copyFrom(new byte[1 << 20]),
        PutOptions.DEFAULT).join();
    assertThat(client.kv().get("max").first().orElseThrow().value().size()).isEqualTo(1 << 20);
  }

  @Test
  void tooManyTransactionOperationsAreRefused() {
    Op[] ops = new Op[129];
    for (int i = 0; i < ops.length; i++) {
      ops[i] = Op.get("k" + i);
    }
    assertThatThrownBy(() -> client.kv().txn().then(ops).commit())
        .isInstanceOf(LimitExceededException.class)
        .hasMessageContaining("txn.success: 129 operations, over the limit of 128");
  }

  @Test
  void aRequestLargerThanTheTransportAcceptsIsRefusedByGrpc() {
    var channel = ManagedChannelBuilder.forTarget(cluster.endpoints().get(0)).usePlaintext()
        .build();
    try {
      assertThatThrownBy(() -> KVGrpc.newBlockingStub(channel).put(PutRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("huge")).setValue(ByteString.copyFrom(
              new byte[5 << 20])).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void emptyKeysAndBadRevisionsAreRefused() {
    assertThatThrownBy(() -> client.kv().put("", "v"))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("put.key: required");
    long current = client.kv().put("r", "1").revision();
    assertThatThrownBy(() -> client.kv().get("r", GetOptions.builder()
        .revision(current + 1000).build()))
        .isInstanceOf(FutureRevisionException.class);
    client.kv().put("r", "2");
    client.kv().compact(current);
    assertThatThrownBy(() -> client.kv().get("r", GetOptions.builder()
        .revision(current - 1).build()))
        .isInstanceOfSatisfying(CompactedException.class,
            e -> assertThat(e.compactRevision()).isEqualTo(current));
    assertThat(client.kv().get("r", GetOptions.builder().revision(current).build())
        .first().orElseThrow().valueString()).isEqualTo("1");
  }
}
