package io.coord.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerPidsTest {
  @Test
  void pidFilesOfLiveProcessesCountAndTheRestIsIgnored(@TempDir Path dir) throws Exception {
    long self = ProcessHandle.current().pid();
    Files.writeString(dir.resolve("n1.pid"), self + "\n");
    Files.writeString(dir.resolve("n2.pid"), "not a pid");
    Files.writeString(dir.resolve("n3.pid"), "999999999");
    Files.writeString(dir.resolve("n1.log"), "12");

    ServerPids pids = new ServerPids(List.of(42L), List.of(dir, dir.resolve("missing")));

    assertThat(pids.current()).containsExactly(42L, self);
  }
}
