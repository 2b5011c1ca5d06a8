package io.coord.server.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.error.CoordError;
import org.junit.jupiter.api.Test;

class RequestValidatorTest {
  private final RequestValidator validator = new RequestValidator(ServerConfig.builder()
      .set(ConfigKeys.NAME, "n1")
      .set(ConfigKeys.INITIAL_MEMBERS, "n1=127.0.0.1:1")
      .set(ConfigKeys.MAX_TXN_OPS, "3")
      .build());

  private static PutRequest put(int keyBytes, int valueBytes) {
    return PutRequest.newBuilder().setKey(ByteString.copyFrom(new byte[keyBytes]))
        .setValue(ByteString.copyFrom(new byte[valueBytes])).build();
  }

  @Test
  void keysValuesAndRequestsOverTheLimitsNameFieldAndLimit() {
    assertThatThrownBy(() -> validator.checkPut(put(4097, 1)))
        .isInstanceOfSatisfying(CoordError.class, e -> reason(e, ErrorReason.LIMIT_EXCEEDED))
        .hasMessage("put.key: 4097 bytes, over the limit of 4096 bytes "
            + "(coord.limits.max-key-bytes)");
    assertThatThrownBy(() -> validator.checkPut(put(1, (1 << 20) + 1)))
        .hasMessageContaining("put.value: 1048577 bytes, over the limit of 1048576 bytes");
    TxnRequest.Builder big = TxnRequest.newBuilder();
    for (int i = 0; i < 2; i++) {
      big.addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("k" + i)).setValue(ByteString.copyFrom(new byte[1 << 20]))));
    }
    assertThatThrownBy(() -> validator.checkTxn(big.build()))
        .hasMessageContaining("txn: ")
        .hasMessageContaining("coord.limits.max-request-bytes");
  }

  @Test
  void tooManyTransactionOperationsAreRefused() {
    TxnRequest.Builder txn = TxnRequest.newBuilder();
    for (int i = 0; i < 4; i++) {
      txn.addSuccess(RequestOp.newBuilder().setRequestRange(RangeRequest.newBuilder()
          .setKey(ByteString.copyFromUtf8("k" + i))));
    }
    assertThatThrownBy(() -> validator.checkTxn(txn.build()))
        .hasMessage("txn.success: 4 operations, over the limit of 3 operations "
            + "(coord.limits.max-txn-ops)");
  }

  @Test
  void emptyKeysAndDuplicateWritesAreRefused() {
    assertThatThrownBy(() -> validator.checkPut(PutRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(CoordError.class, e -> reason(e, ErrorReason.INVALID_FIELD))
        .hasMessageContaining("put.key: required");
    RequestOp putK = RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8("k"))).build();
    assertThatThrownBy(() -> validator.checkTxn(TxnRequest.newBuilder().addSuccess(putK)
        .addSuccess(putK).build()))
        .hasMessageContaining("put twice");
    assertThatThrownBy(() -> validator.checkRange(RangeRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8("k")).setLimit(-1).build()))
        .hasMessageContaining("range.limit: must not be negative");
  }

  private static void reason(CoordError error, ErrorReason expected) {
    if (error.reason() != expected) {
      throw new AssertionError("reason " + error.reason() + ", expected " + expected);
    }
  }
}
