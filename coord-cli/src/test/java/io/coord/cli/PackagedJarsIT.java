package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shaded jars run with java -jar, and the CLI jar carries no server code. */
@Timeout(120)
class PackagedJarsIT {
  private static final Path SERVER_JAR =
      Script.ROOT.resolve("coord-server/target/coord-server.jar");
  private static final Path CLI_JAR = Script.ROOT.resolve("coord-cli/target/coord.jar");

  @Test
  void serverJarPrintsItsVersion() throws Exception {
    assertThat(javaJar(SERVER_JAR, "--version")).matches("coord-server \\d+\\.\\d+\\.\\d+\\S*\n");
  }

  @Test
  void cliJarPrintsItsVersion() throws Exception {
    assertThat(javaJar(CLI_JAR, "--version")).matches("coord \\d+\\.\\d+\\.\\d+\\S*\n");
  }

  @Test
  void cliJarHasTheClientButNoServerRatisOrRocksDb() throws IOException {
    try (JarFile jar = new JarFile(CLI_JAR.toFile())) {
      List<String> names = jar.stream().map(e -> e.getName()).toList();
      assertThat(names).contains("io/coord/cli/CoordCli.class",
          "io/coord/client/CoordClient.class", "META-INF/services/io.grpc.ManagedChannelProvider");
      assertThat(names).noneMatch(n -> n.startsWith("io/coord/server/")
          || n.startsWith("org/apache/ratis/") || n.startsWith("org/rocksdb/")
          || n.contains("rocksdbjni"));
      assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class"))
          .isEqualTo("io.coord.cli.CoordCli");
    }
  }

  private static String javaJar(Path jar, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }
}
