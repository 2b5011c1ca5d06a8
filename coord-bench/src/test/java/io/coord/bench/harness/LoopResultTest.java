package io.coord.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LoopResultTest {

  @Test
  void percentilesAreReadInMillisecondsFromMicrosecondSamples() {
    Histogram h = new Histogram(60_000_000L, 3);
    for (int ms = 1; ms <= 1000; ms++) {
      h.recordValue(ms * 1000L);
    }
    LoopResult r = new LoopResult(h, 0, Map.of(), 2.0, 0, "time");

    assertThat(r.percentileMs(50)).isCloseTo(500, within(0.5));
    assertThat(r.percentileMs(99)).isCloseTo(990, within(1.0));
    assertThat(r.maxMs()).isCloseTo(1000, within(1.0));
    assertThat(r.meanMs()).isCloseTo(500.5, within(0.5));
    assertThat(r.opsPerSecond()).isEqualTo(500.0);
  }

  @Test
  void anEmptyWindowHasZeroesNotGarbage() {
    LoopResult r = new LoopResult(new Histogram(60_000_000L, 3), 3, Map.of(), 0, 0, "count");

    assertThat(r.opsPerSecond()).isZero();
    assertThat(r.percentileMs(99)).isZero();
    assertThat(r.maxMs()).isZero();
  }

  @Test
  void phaseStatsClampsAbsurdLatenciesAndKeepsThem() {
    PhaseStats stats = new PhaseStats();
    stats.success(3_600_000_000_000L); // an hour
    stats.success(-5);

    assertThat(stats.successes()).isEqualTo(2);
    assertThat(stats.histogram().getMaxValue()).isGreaterThanOrEqualTo(59_000_000L);
  }

  @Test
  void errorKindsUnwrapCompletionExceptionsAndMaskNumbers() {
    String kind = PhaseStats.kind(new java.util.concurrent.CompletionException(
        new java.io.IOException("port 23791 refused after 3 tries")));

    assertThat(kind).isEqualTo("IOException: port N refused after N tries");
  }
}
