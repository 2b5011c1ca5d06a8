package io.coord.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.history.FaultWriter;
import io.coord.chaos.history.HistoryWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckHistoryTest {
  @TempDir
  Path dir;

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final AtomicLong clock = new AtomicLong();

  private int run(String... args) {
    return CheckHistory.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String output() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** Writes 1 then 2 to x, reads {@code read} back as the final read; a leader kill between. */
  private void record(int read) throws IOException {
    try (HistoryWriter history = HistoryWriter.open(dir.resolve("history.jsonl"),
        () -> clock.addAndGet(10_000_000));
        FaultWriter faults = FaultWriter.open(dir.resolve("faults.jsonl"),
            () -> clock.addAndGet(10_000_000))) {
      history.invoke(1, "write", "x", 1);
      history.ok(1, "write", "x", 1);
      faults.start("kill", "n1", true);
      history.invoke(1, "write", "x", 2);
      history.ok(1, "write", "x", 2);
      faults.heal("kill", "n1");
      history.invoke(2, "final-read", "x", null);
      history.ok(2, "final-read", "x", read);
    }
  }

  @Test
  void aValidRunPrintsOneLinePerCheckerAndAPassingVerdict() throws IOException {
    record(2);

    int status = run(dir.toString());

    assertThat(status).isZero();
    List<String> lines = output().lines().toList();
    assertThat(lines.get(0)).endsWith("history.jsonl: 3 operations, 1 faults (1 leader losses)");
    assertThat(lines.get(1)).startsWith("PASS    linearizability       1 keys, 3 operations");
    assertThat(lines.get(2)).startsWith("PASS    lost-writes           1 keys with a final read");
    assertThat(lines.get(3)).startsWith("PASS    availability          ")
        .contains("kill n1 at +0.020s: writes unavailable 20.0ms");
    assertThat(lines.get(lines.size() - 1))
        .isEqualTo("VERDICT PASS: 3 checkers, 0 failed, 0 unknown");
  }

  @Test
  void aStaleFinalReadFailsWithTheAnomaliesListed() throws IOException {
    record(1);

    int status = run(dir.toString());

    assertThat(status).isEqualTo(1);
    assertThat(output())
        .contains("FAIL    linearizability")
        .contains("FAIL    lost-writes")
        .contains("linearizability: 1 anomalies\n  - not-linearizable: key x:")
        .contains("lost-writes: 1 anomalies\n  - lost-write: key x: p1 write x 2 -> ok")
        .endsWith("VERDICT FAIL: 3 checkers, 2 failed, 0 unknown\n");
  }

  @Test
  void anExhaustedSearchBudgetIsUndecided() throws IOException {
    record(2);

    assertThat(run("--max-states=1", dir.toString())).isEqualTo(2);
    assertThat(output()).contains("UNKNOWN linearizability").contains("VERDICT UNKNOWN");
  }

  @Test
  void badArgumentsAndMissingFilesAreUsageErrors() throws IOException {
    assertThat(run()).isEqualTo(64);
    assertThat(run("--bogus=1", dir.toString())).isEqualTo(64);
    assertThat(run("--max-states=x", dir.toString())).isEqualTo(64);
    assertThat(run(dir.toString())).isEqualTo(64);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown option: --bogus=1")
        .contains("not a number: --max-states=x").contains("is not a file");
    Files.writeString(dir.resolve("history.jsonl"), "{\"process\":1}\n{}\n");
    assertThat(run(dir.toString())).isEqualTo(64);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("line 1: \"type\" must be a string");
  }
}
