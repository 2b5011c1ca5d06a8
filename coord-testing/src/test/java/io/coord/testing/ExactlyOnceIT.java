package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.Compare;
import io.coord.proto.v1.KVGrpc;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.proto.v1.TxnResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A write retried with the same client id and sequence is applied once, across failover. */
@Timeout(180)
class ExactlyOnceIT {
  private final List<ManagedChannel> channels = new ArrayList<>();

  @AfterEach
  void closeChannels() {
    channels.forEach(ManagedChannel::shutdownNow);
  }

  private KVGrpc.KVBlockingStub kv(String address, long clientId, long seq) {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(address).usePlaintext().build();
    channels.add(channel);
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("coord-client-id", Metadata.ASCII_STRING_MARSHALLER),
        Long.toString(clientId));
    headers.put(Metadata.Key.of("coord-seq", Metadata.ASCII_STRING_MARSHALLER),
        Long.toString(seq));
    return KVGrpc.newBlockingStub(channel)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .withDeadlineAfter(30, TimeUnit.SECONDS);
  }

  /** "Increment" the counter: put value n+1 if the counter's version is n (a CAS). */
  private static TxnRequest increment(long expectedVersion) {
    ByteString key = ByteString.copyFromUtf8("counter");
    return TxnRequest.newBuilder()
        .addCompare(Compare.newBuilder().setKey(key).setTarget(Compare.CompareTarget.VERSION)
            .setResult(Compare.CompareResult.EQUAL).setVersion(expectedVersion))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(key)
            .setValue(ByteString.copyFromUtf8(Long.toString(expectedVersion + 1)))))
        .build();
  }

  @Test
  void aWriteRetriedThroughAnotherMemberAfterFailoverAppliesOnce() {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      String leader = cluster.awaitLeader().name();
      String survivor = cluster.members().stream().map(CoordTestCluster.Member::name)
          .filter(n -> !n.equals(leader)).findFirst().orElseThrow();
      long clientId = 0x5eed;
      TxnResponse first = kv(cluster.member(leader).clientAddress(), clientId, 1)
          .txn(increment(0));
      assertThat(first.getSucceeded()).isTrue();

      cluster.stop(leader);
      cluster.awaitLeader();
      // The same request again (same id and sequence) through another member: the original
      // outcome comes back; had it applied again, its compare would now fail.
      TxnResponse retried = kv(cluster.member(survivor).clientAddress(), clientId, 1)
          .txn(increment(0));
      assertThat(retried.getSucceeded()).isTrue();
      assertThat(retried.getHeader().getRevision()).isEqualTo(first.getHeader().getRevision());

      cluster.start(leader);
      cluster.awaitLeader();
      TxnResponse afterRestart = kv(cluster.member(leader).clientAddress(), clientId, 1)
          .txn(increment(0));
      assertThat(afterRestart.getHeader().getRevision())
          .isEqualTo(first.getHeader().getRevision());

      var counter = kv(cluster.member(survivor).clientAddress(), 0x1, 1).range(
          RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("counter")).build());
      assertThat(counter.getKvs(0).getVersion()).isEqualTo(1);
      assertThat(counter.getKvs(0).getValue().toStringUtf8()).isEqualTo("1");

      // A new sequence is a new write.
      TxnResponse next = kv(cluster.member(survivor).clientAddress(), clientId, 2)
          .txn(increment(1));
      assertThat(next.getSucceeded()).isTrue();
    }
  }
}
