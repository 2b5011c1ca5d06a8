package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.server.config.ConfigKey;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped configs and the README's configuration reference match ConfigKeys. */
class ConfigFilesTest {
  private static final Path CONFIG = Script.ROOT.resolve("config");

  @Test
  void everyConfigFileListsEveryKeyWithItsDescriptionAndLoads() throws IOException {
    for (Path file : configFiles()) {
      String text = Files.readString(file);
      Properties properties = load(file);
      assertThat(properties.stringPropertyNames()).as(file.toString())
          .containsExactlyInAnyOrderElementsOf(ConfigKeys.ALL.stream().map(ConfigKey::name)
              .toList());
      for (ConfigKey<?> key : ConfigKeys.ALL) {
        assertThat(text).as(file + ": " + key).contains("# " + key.description() + "\n"
            + key.name() + "=");
      }
      assertThat(ServerConfig.load(file).dataDir().isAbsolute()).as(file.toString()).isFalse();
    }
  }

  @Test
  void unsetKeysKeepTheirDefaults() throws IOException {
    Set<String> perCluster = Set.of("coord.name", "coord.data-dir", "coord.cluster.token",
        "coord.cluster.initial-members", "coord.client.listen", "coord.http.listen",
        "coord.dns.listen");
    for (Path file : configFiles()) {
      Properties properties = load(file);
      for (ConfigKey<?> key : ConfigKeys.ALL) {
        if (!perCluster.contains(key.name())) {
          assertThat(properties.getProperty(key.name())).as(file + ": " + key)
              .isEqualTo(key.defaultText());
        }
      }
    }
  }

  @Test
  void membersFollowThePortLayoutAndClustersHaveTheirOwnTokens() throws IOException {
    Map<Integer, Set<String>> tokens = new HashMap<>();
    for (int size : new int[] {3, 5}) {
      for (int n = 1; n <= size; n++) {
        ServerConfig config = ServerConfig.load(CONFIG.resolve("cluster-" + size)
            .resolve("node" + n + ".properties"));
        assertThat(config.get(ConfigKeys.NAME)).isEqualTo("n" + n);
        assertThat(config.get(ConfigKeys.CLIENT_LISTEN).toString())
            .isEqualTo("127.0.0.1:" + (7700 + n));
        assertThat(config.peerListen().toString()).isEqualTo("127.0.0.1:" + (7710 + n));
        assertThat(config.get(ConfigKeys.HTTP_LISTEN).toString())
            .isEqualTo("127.0.0.1:" + (7720 + n));
        assertThat(config.get(ConfigKeys.DNS_LISTEN).toString())
            .isEqualTo("127.0.0.1:" + (7730 + n));
        assertThat(config.get(ConfigKeys.INITIAL_MEMBERS)).hasSize(size);
        assertThat(config.dataDir()).isEqualTo(Path.of("data", "n" + n));
        tokens.computeIfAbsent(size, s -> new HashSet<>())
            .add(config.get(ConfigKeys.CLUSTER_TOKEN));
      }
    }
    ServerConfig dev = ServerConfig.load(CONFIG.resolve("dev.properties"));
    assertThat(dev.get(ConfigKeys.INITIAL_MEMBERS)).hasSize(1);
    assertThat(dev.get(ConfigKeys.NAME)).isEqualTo("n1");
    assertThat(tokens.get(3)).hasSize(1);
    assertThat(tokens.get(5)).hasSize(1);
    assertThat(Set.of(tokens.get(3).iterator().next(), tokens.get(5).iterator().next(),
        dev.get(ConfigKeys.CLUSTER_TOKEN))).as("distinct cluster tokens").hasSize(3);
  }

  @Test
  void readmeConfigurationTableHasEveryKeyWithDefaultAndDescription() throws IOException {
    String readme = Files.readString(Script.ROOT.resolve("README.md"));
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      String defaultCell = key.defaultText().isEmpty() ? "(none)" : "`" + key.defaultText() + "`";
      assertThat(readme).as(key.name()).contains("| `" + key.name() + "` | " + defaultCell
          + " | " + key.description().replace("|", "\\|") + " |");
    }
  }

  private static List<Path> configFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    files.add(CONFIG.resolve("dev.properties"));
    for (String cluster : new String[] {"cluster-3", "cluster-5"}) {
      try (var listing = Files.list(CONFIG.resolve(cluster))) {
        files.addAll(listing.sorted().toList());
      }
    }
    assertThat(files).hasSize(9);
    return files;
  }

  private static Properties load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file)) {
      properties.load(reader);
    }
    return properties;
  }
}
