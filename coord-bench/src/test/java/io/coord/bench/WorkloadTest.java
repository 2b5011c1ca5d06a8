package io.coord.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  @Test
  void parsesCommandLineNames() {
    assertThat(Workload.parse("lock-contended")).isEqualTo(Workload.LOCK_CONTENDED);
    assertThat(Workload.parse(" SGET ")).isEqualTo(Workload.SGET);
    assertThatThrownBy(() -> Workload.parse("scan")).hasMessageContaining("known:");
  }

  @Test
  void everyDefaultWorkloadParses() {
    for (String name : RunCommand.ALL_WORKLOADS.split(",")) {
      assertThat(Workload.parse(name).cliName()).isEqualTo(name);
    }
  }

  @Test
  void durationsTakeUnits() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
    assertThat(Durations.parse("7")).isEqualTo(Duration.ofSeconds(7));
    assertThatThrownBy(() -> Durations.parse("soon")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quickSettingsAreShortAndExplicitOptionsWin() {
    RunCommand quick = new RunCommand();
    quick.workloads = "put";
    quick.quick = true;
    quick.maxOps = 10;
    quick.drainTimeout = Duration.ofSeconds(1);
    RunSettings settings = quick.settings();
    assertThat(settings.concurrencies()).containsExactly(1, 16);
    assertThat(settings.window()).isEqualTo(Duration.ofSeconds(3));

    quick.duration = Duration.ofSeconds(7);
    quick.concurrency = "128";
    assertThat(quick.settings().window()).isEqualTo(Duration.ofSeconds(7));
    assertThat(quick.settings().concurrencies()).containsExactly(128);
  }
}
