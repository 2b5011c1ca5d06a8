package io.coord.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.coord.proto.v1.ErrorReason;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.error.CoordError;
import org.junit.jupiter.api.Test;

class TtlPolicyTest {
  private final TtlPolicy policy = TtlPolicy.of(ServerConfig.builder()
      .set(ConfigKeys.NAME, "n1")
      .set(ConfigKeys.INITIAL_MEMBERS, "n1=127.0.0.1:7711")
      .set(ConfigKeys.SESSION_MAX_TTL, "1h")
      .set(ConfigKeys.ELECTION_TIMEOUT_MAX, "1200ms")
      .build());

  @Test
  void aTtlWithinBoundsIsGrantedAsAsked() {
    assertThat(policy.decide(30)).isEqualTo(new TtlPolicy.Decision(30, 0, ""));
  }

  @Test
  void aShortTtlIsRaisedToTheMinimumAndTheResponseSaysWhy() {
    TtlPolicy.Decision decision = policy.decide(1);
    assertThat(decision.ttlSeconds()).isEqualTo(6);
    assertThat(decision.requestedSeconds()).isEqualTo(1);
    assertThat(decision.adjustment()).contains("raised from 1 s to the minimum of 6 s",
        "coord.session.min-ttl", "coord.raft.election-timeout-max=1200ms");
  }

  @Test
  void aTtlAboveTheMaximumIsRefusedNamingFieldAndLimit() {
    assertThatThrownBy(() -> policy.decide(3601))
        .isInstanceOfSatisfying(CoordError.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.LIMIT_EXCEEDED);
          assertThat(e.getMessage()).isEqualTo("session_grant.ttl: 3601 seconds, over the limit "
              + "of 3600 seconds (coord.session.max-ttl)");
        });
  }

  @Test
  void aNonPositiveTtlIsInvalid() {
    assertThatThrownBy(() -> policy.decide(0))
        .isInstanceOfSatisfying(CoordError.class, e -> {
          assertThat(e.reason()).isEqualTo(ErrorReason.INVALID_FIELD);
          assertThat(e.getMessage()).startsWith("session_grant.ttl: must be a positive");
        });
  }
}
