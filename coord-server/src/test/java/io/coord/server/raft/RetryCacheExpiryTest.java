package io.coord.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.server.config.ServerConfig;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RetryCacheExpiryTest {
  private static final Map<String, String> MEMBER = Map.of(
      "coord.name", "n1",
      "coord.cluster.initial-members", "n1=127.0.0.1:0,n2=127.0.0.1:1,n3=127.0.0.1:2");

  @Test
  void outlivesTheLastRetryOfAForwardedProposalByTheMarginOnly() {
    ServerConfig defaults = ServerConfig.fromMap(MEMBER);

    // Proposals retry for 10 s, each attempt for at most 3 s; the margin is 2 s.
    assertThat(RaftNode.retryCacheExpiry(defaults).toLong(TimeUnit.MILLISECONDS))
        .isEqualTo(15_000);
  }

  @Test
  void outlivesTheRetryWindowOfTheProposalClientPlusOneAttempt() {
    ServerConfig config = ServerConfig.fromMap(MEMBER);

    assertThat(RaftNode.retryCacheExpiry(config).toLong(TimeUnit.MILLISECONDS))
        .isGreaterThan(RaftNode.proposalRetryWindow(config)
            .plus(config.get(io.coord.server.config.ConfigKeys.RAFT_REQUEST_TIMEOUT)).toMillis());
  }

  @Test
  void followsBothTimeouts() {
    var texts = new java.util.HashMap<>(MEMBER);
    texts.put("coord.request.default-timeout", "30s");
    texts.put("coord.raft.request-timeout", "5s");

    assertThat(RaftNode.retryCacheExpiry(ServerConfig.fromMap(texts))
        .toLong(TimeUnit.MILLISECONDS)).isEqualTo(37_000);
  }
}
