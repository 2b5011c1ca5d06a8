package io.coord.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChaosOptionsTest {
  @Test
  void parsesTheCommandLine() {
    ChaosOptions options = ChaosOptions.parse(new String[] {"--duration", "90", "--nodes", "5",
        "--faults", "kill,pause,partition,skew", "--workload", "register,counter",
        "--out", "/tmp/run", "--unsafe", "skip-dedupe", "--seed=42", "--snapshot-every", "500"});
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(90));
    assertThat(options.nodes()).isEqualTo(5);
    assertThat(options.faults()).containsExactly("kill", "pause", "partition", "skew");
    assertThat(options.workloads()).containsExactly("register", "counter");
    assertThat(options.out()).isEqualTo(Path.of("/tmp/run"));
    assertThat(options.unsafe()).isEqualTo(ChaosOptions.Unsafe.SKIP_DEDUPE);
    assertThat(options.seed()).isEqualTo(42);
    assertThat(options.needsNamespaces()).isTrue();
    assertThat(options.memberSettings()).containsEntry("coord.unsafe.skip-dedupe", "true")
        .containsEntry("coord.raft.snapshot-threshold", "500");
    assertThat(options.memberJvmOptions()).containsExactly("-Dcoord.unsafe.allow=true");
  }

  @Test
  void aSafeRunWithoutPartitionsNeedsNoNamespacesAndNoUnsafeFlag() {
    ChaosOptions options = ChaosOptions.parse(new String[] {"--duration", "60", "--faults",
        "none", "--workload", "set", "--out", "x"});
    assertThat(options.faults()).isEmpty();
    assertThat(options.nodes()).isEqualTo(3);
    assertThat(options.needsNamespaces()).isFalse();
    assertThat(options.memberJvmOptions()).isEmpty();
    assertThat(options.memberSettings()).doesNotContainKeys("coord.unsafe.skip-dedupe",
        "coord.unsafe.local-linearizable-reads");
  }

  @Test
  void theLockWorkloadAndItsUnfencedModeKeepTheServerCorrect() {
    ChaosOptions options = parse("--duration", "60", "--faults", "pause", "--workload",
        "lock,register", "--out", "x", "--unsafe", "unfenced-locks");
    assertThat(options.workloads()).containsExactly("lock", "register");
    assertThat(options.unsafe()).isEqualTo(ChaosOptions.Unsafe.UNFENCED_LOCKS);
    assertThat(options.memberJvmOptions()).isEmpty();
    assertThat(options.memberSettings()).doesNotContainKeys("coord.unsafe.skip-dedupe",
        "coord.unsafe.local-linearizable-reads");
    assertThat(ChaosRun.workload("lock", options.unsafe()).name()).isEqualTo("lock");
  }

  @Test
  void refusesWhatItCannotRun() {
    assertThatThrownBy(() -> parse("--duration", "60", "--workload", "register", "--out", "x",
        "--unsafe", "unfenced-locks")).hasMessageContaining("needs --workload lock");
    assertThatThrownBy(() -> parse("--duration", "60", "--nodes", "4", "--workload", "set",
        "--out", "x")).hasMessageContaining("3 or 5");
    assertThatThrownBy(() -> parse("--duration", "60", "--faults", "flood", "--workload",
        "set", "--out", "x")).hasMessageContaining("flood");
    assertThatThrownBy(() -> parse("--workload", "set", "--out", "x"))
        .hasMessageContaining("--duration is required");
    assertThatThrownBy(() -> parse("--duration", "60", "--workload", "set", "--out", "x",
        "--unsafe", "everything")).hasMessageContaining("local-reads");
    assertThatThrownBy(() -> ChaosOptions.of(Duration.ofSeconds(60), 3, List.of(),
        List.of("set"), Path.of("x")).withSnapshotEvery(3)).hasMessageContaining("16");
  }

  private static ChaosOptions parse(String... args) {
    return ChaosOptions.parse(args);
  }
}
