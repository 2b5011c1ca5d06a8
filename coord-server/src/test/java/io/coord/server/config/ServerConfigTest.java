package io.coord.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
  @TempDir
  Path dir;

  private Path write(String text) throws Exception {
    Path file = dir.resolve("node.properties");
    Files.writeString(file, text);
    return file;
  }

  private static final String MINIMAL = """
      coord.name=n1
      coord.cluster.initial-members=n1=127.0.0.1:7711,n2=127.0.0.1:7712,n3=127.0.0.1:7713
      """;

  @Test
  void unsafeKeysAreRefusedUnlessTheJvmAllowsThemAndAreListedNowhere() throws Exception {
    Path file = write(MINIMAL + "coord.unsafe.skip-dedupe=true\n");
    assertThatThrownBy(() -> ServerConfig.load(file))
        .hasMessageContaining("coord.unsafe.skip-dedupe")
        .hasMessageContaining("-Dcoord.unsafe.allow=true");
    assertThat(ServerConfig.load(write(MINIMAL + "coord.unsafe.skip-dedupe=false\n"))
        .unsafeKeysEnabled()).isEmpty();
    System.setProperty(ConfigKeys.UNSAFE_ALLOW_PROPERTY, "true");
    try {
      ServerConfig config = ServerConfig.load(write(MINIMAL
          + "coord.unsafe.skip-dedupe=true\ncoord.unsafe.local-linearizable-reads=true\n"));
      assertThat(config.unsafeKeysEnabled()).containsExactly(ConfigKeys.UNSAFE_LOCAL_READS,
          ConfigKeys.UNSAFE_SKIP_DEDUPE);
      assertThat(config.get(ConfigKeys.UNSAFE_LOCAL_READS)).isTrue();
    } finally {
      System.clearProperty(ConfigKeys.UNSAFE_ALLOW_PROPERTY);
    }
    assertThat(ConfigKeys.ALL).doesNotContainAnyElementsOf(ConfigKeys.UNSAFE);
  }

  @Test
  void aMinimalFileGetsEveryDefault() throws Exception {
    ServerConfig config = ServerConfig.load(write(MINIMAL));
    assertThat(config.get(ConfigKeys.CLIENT_LISTEN)).isEqualTo(new HostPort("127.0.0.1", 7701));
    assertThat(config.get(ConfigKeys.ELECTION_TIMEOUT_MIN)).isEqualTo(Duration.ofMillis(400));
    assertThat(config.get(ConfigKeys.MAX_VALUE_BYTES)).isEqualTo(1L << 20);
    assertThat(config.dataDir()).isEqualTo(Path.of("data/n1"));
    assertThat(config.peerListen()).isEqualTo(new HostPort("127.0.0.1", 7711));
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      assertThat(key.description()).as(key.name()).isNotBlank();
    }
  }

  @Test
  void anUnknownKeyIsNamedWithASuggestion() throws Exception {
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL + "coord.client.lisen=1:2\n")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("coord.client.lisen")
        .hasMessageContaining("did you mean coord.client.listen");
  }

  @Test
  void anInvalidValueNamesTheKeyAndTheExpectedForm() throws Exception {
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL
        + "coord.raft.election-timeout-min=fast\n")))
        .hasMessageContaining("coord.raft.election-timeout-min")
        .hasMessageContaining("'fast'")
        .hasMessageContaining("duration");
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL + "coord.client.listen=nohost\n")))
        .hasMessageContaining("coord.client.listen")
        .hasMessageContaining("host:port");
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL
        + "coord.limits.max-txn-ops=0\n")))
        .hasMessageContaining("coord.limits.max-txn-ops")
        .hasMessageContaining("from 1 to 10000");
  }

  @Test
  void requiredKeysAndCrossKeyRulesAreChecked() throws Exception {
    assertThatThrownBy(() -> ServerConfig.load(write("coord.name=n1\n")))
        .hasMessageContaining("coord.cluster.initial-members: required");
    assertThatThrownBy(() -> ServerConfig.load(write(
        "coord.cluster.initial-members=n1=127.0.0.1:1\n")))
        .hasMessageContaining("coord.name: required");
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL.replace("coord.name=n1",
        "coord.name=n9"))))
        .hasMessageContaining("does not list this member 'n9'");
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL
        + "coord.raft.election-timeout-min=2s\ncoord.raft.election-timeout-max=1s\n")))
        .hasMessageContaining("coord.raft.election-timeout-max: must be greater");
    assertThatThrownBy(() -> ServerConfig.load(write(
        "coord.name=n1\ncoord.cluster.initial-members=n1=127.0.0.1:1,n1=127.0.0.1:2\n")))
        .hasMessageContaining("listed twice");
  }

  @Test
  void sizesAndDurationsAcceptUnits() throws Exception {
    ServerConfig config = ServerConfig.load(write(MINIMAL
        + "coord.limits.max-value-bytes=512KiB\ncoord.raft.request-timeout=2s\n"));
    assertThat(config.get(ConfigKeys.MAX_VALUE_BYTES)).isEqualTo(512L * 1024);
    assertThat(config.get(ConfigKeys.RAFT_REQUEST_TIMEOUT)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void aMissingFileIsReported() {
    assertThatThrownBy(() -> ServerConfig.load(dir.resolve("absent.properties")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read configuration file");
  }

  @Test
  void theMinimumSessionTtlFollowsTheElectionTimeout() throws Exception {
    assertThat(ServerConfig.load(write(MINIMAL)).sessionMinTtl()).isEqualTo(Duration.ofSeconds(4));
    assertThat(ServerConfig.load(write(MINIMAL + "coord.raft.election-timeout-min=1s\n"
        + "coord.raft.election-timeout-max=2500ms\n")).sessionMinTtl())
        .isEqualTo(Duration.ofSeconds(13));
    assertThat(ServerConfig.load(write(MINIMAL + "coord.session.min-ttl=3s\n")).sessionMinTtl())
        .isEqualTo(Duration.ofSeconds(3));
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL + "coord.session.min-ttl=2s\n"
        + "coord.raft.election-timeout-max=1200ms\n")))
        .hasMessageContaining("coord.session.min-ttl: must be at least 3s")
        .hasMessageContaining("coord.raft.election-timeout-max");
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL
        + "coord.session.min-ttl=3500ms\n")))
        .hasMessageContaining("coord.session.min-ttl: must be whole seconds");
    assertThatThrownBy(() -> ServerConfig.load(write(MINIMAL + "coord.session.max-ttl=3s\n")))
        .hasMessageContaining("coord.session.max-ttl: 3s is below the minimum session TTL 4s");
  }
}
