package io.coord.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.testing.CoordTestCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code coord lock L -- sh -c '...'} from the packaged jar (through {@code scripts/coord}), run
 * concurrently from several shells: the commands never overlap. Each appends a start and an
 * end marker to one file around a short pause; the markers must come in pairs.
 */
@Timeout(300)
class LockCliIT {
  private static final int SHELLS = 4;
  private static final int ROUNDS = 3;

  @TempDir
  Path dir;

  @Test
  void concurrentLockCommandsNeverOverlap() throws Exception {
    Path markers = dir.resolve("markers");
    Files.createFile(markers);
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).build().start()) {
      cluster.awaitReady();
      String section = "echo \"start $ID $COORD_LOCK_TOKEN\" >> " + markers
          + "; sleep 0.2; echo \"end $ID $COORD_LOCK_TOKEN\" >> " + markers;
      String loop = "for round in $(seq " + ROUNDS + "); do ID=$SHELL_ID-$round \""
          + Script.ROOT.resolve("scripts/coord") + "\" lock cli-it/mutex -- sh -c '" + section
          + "' || exit $?; done";
      List<Process> shells = new ArrayList<>();
      try {
        for (int shell = 0; shell < SHELLS; shell++) {
          ProcessBuilder builder = new ProcessBuilder("bash", "-c", loop)
              .directory(dir.toFile())
              .redirectOutput(dir.resolve("shell-" + shell + ".out").toFile())
              .redirectError(dir.resolve("shell-" + shell + ".err").toFile());
          builder.environment().put("COORD_ENDPOINTS", String.join(",", cluster.endpoints()));
          builder.environment().put("COORD_NO_BUILD", "1");
          builder.environment().put("SHELL_ID", "shell" + shell);
          shells.add(builder.start());
        }
        for (int shell = 0; shell < SHELLS; shell++) {
          Process process = shells.get(shell);
          assertThat(process.waitFor(240, TimeUnit.SECONDS)).as("shell " + shell).isTrue();
          assertThat(process.exitValue()).as("shell " + shell + ": " + log(shell)).isZero();
        }
      } finally {
        for (Process process : shells) {
          process.descendants().forEach(ProcessHandle::destroyForcibly);
          process.destroyForcibly();
        }
      }
    }
    List<String> lines = Files.readAllLines(markers);
    assertThat(lines).hasSize(2 * SHELLS * ROUNDS);
    long lastToken = 0;
    for (int i = 0; i < lines.size(); i += 2) {
      String[] start = lines.get(i).split(" ");
      String[] end = lines.get(i + 1).split(" ");
      assertThat(start[0]).as("line " + i + " of " + lines).isEqualTo("start");
      assertThat(end[0]).as("line " + (i + 1) + " of " + lines).isEqualTo("end");
      assertThat(end[1]).as("the section that ends is the one that started").isEqualTo(start[1]);
      long token = Long.parseLong(start[2]);
      assertThat(token).as("tokens increase from section to section").isGreaterThan(lastToken);
      lastToken = token;
    }
  }

  private String log(int shell) throws IOException {
    return Files.readString(dir.resolve("shell-" + shell + ".out"))
        + Files.readString(dir.resolve("shell-" + shell + ".err"));
  }
}
