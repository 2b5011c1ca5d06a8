package io.coord.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.FaultWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderMonitorTest {
  @TempDir
  Path dir;

  private List<String> observe(String initialLeader, Object... nameTermPairs) throws Exception {
    Path file = dir.resolve("faults.jsonl");
    AtomicLong clock = new AtomicLong();
    try (FaultWriter faults = FaultWriter.open(file, clock::incrementAndGet)) {
      LeaderMonitor monitor = new LeaderMonitor(null, faults, initialLeader);
      for (int i = 0; i < nameTermPairs.length; i += 2) {
        monitor.observe((String) nameTermPairs[i], (Long) nameTermPairs[i + 1]);
      }
    }
    return Files.readAllLines(file).stream()
        .filter(line -> line.contains("\"phase\":\"start\""))
        .map(line -> line.replaceAll(".*\"target\":\"([^\"]*)\".*", "$1"))
        .toList();
  }

  @Test
  void theSameMemberElectedInALaterTermIsALeaderChange() throws Exception {
    assertThat(observe("n1", "n1", 3L, "n1", 3L, "n1", 4L, "n1", 4L))
        .containsExactly("n1->n1");
  }

  @Test
  void anotherMemberLeadingIsALeaderChangeAndTheFirstSightIsNot() throws Exception {
    assertThat(observe("n1", "n1", 2L, "n2", 3L, "n2", 3L, "n1", 5L))
        .containsExactly("n1->n2", "n2->n1");
  }

  @Test
  void anOlderTermOfTheSameLeaderIsNotAChange() throws Exception {
    assertThat(observe(null, "n2", 6L, "n2", 5L, "n2", 6L)).containsExactly("?->n2");
  }
}
