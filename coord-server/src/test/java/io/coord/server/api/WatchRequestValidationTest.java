package io.coord.server.api;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.WatchCreateRequest;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.error.CoordError;
import org.junit.jupiter.api.Test;

class WatchRequestValidationTest {
  private final RequestValidator validator = new RequestValidator(ServerConfig.builder()
      .set(ConfigKeys.NAME, "n1")
      .set(ConfigKeys.INITIAL_MEMBERS, "n1=127.0.0.1:1")
      .build());

  private static WatchCreateRequest.Builder watch(String key, String rangeEnd) {
    return WatchCreateRequest.newBuilder().setKey(ByteString.copyFromUtf8(key))
        .setRangeEnd(ByteString.copyFromUtf8(rangeEnd));
  }

  @Test
  void negativeStartRevisionIsRefusedNotReinterpreted() {
    assertThatThrownBy(() -> validator.checkWatchCreate(watch("k", "").setStartRevision(-1)
        .build()))
        .isInstanceOfSatisfying(CoordError.class,
            e -> org.assertj.core.api.Assertions.assertThat(e.reason())
                .isEqualTo(ErrorReason.INVALID_FIELD))
        .hasMessageContaining("create_request.start_revision: must not be negative (got -1)");
  }

  @Test
  void rangesFollowTheKvRules() {
    assertThatCode(() -> validator.checkWatchCreate(watch("a", "b").build()))
        .doesNotThrowAnyException();
    assertThatCode(() -> validator.checkWatchCreate(watch("a", "\0").build()))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> validator.checkWatchCreate(watch("b", "a").build()))
        .hasMessageContaining("create_request.range_end: must be greater than key");
    assertThatThrownBy(() -> validator.checkWatchCreate(watch("", "").build()))
        .hasMessageContaining("create_request.key: required");
    assertThatThrownBy(() -> validator.checkWatchCreate(watch("x".repeat(4097), "").build()))
        .hasMessageContaining("create_request.key: 4097 bytes, over the limit of 4096 bytes");
    assertThatThrownBy(() -> validator.checkWatchCreate(watch("k", "").setWatchId(-1).build()))
        .hasMessageContaining("create_request.watch_id: must not be negative");
  }
}
