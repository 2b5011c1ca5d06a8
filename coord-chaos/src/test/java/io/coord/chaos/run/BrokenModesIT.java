package io.coord.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.check.Anomaly;
import io.coord.chaos.check.CheckResult;
import io.coord.chaos.check.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checkers convict a deliberately broken server: each unsafe test-only mode is run under
 * the fault that exposes it, and the checker that guards the broken guarantee must fail with
 * the matching anomaly.
 */
class BrokenModesIT {
  @Test
  void readsWithoutReadIndexAreConvictedOfStaleReads() throws Exception {
    RunResult result = ChaosRuns.run("unsafe-local-reads", ChaosRuns.options(30,
        List.of("partition"), List.of("register"), 201)
        .withUnsafe(ChaosOptions.Unsafe.LOCAL_READS));
    assertConvicted(result, "linearizability", "not-linearizable");
  }

  @Test
  void applyWithoutTheDedupeTableIsConvictedOfDoubleApplies() throws Exception {
    // The counter workload's impatient increments are retried under one request id after
    // their first attempt reached a member; leader pauses lose acknowledgements as well.
    RunResult result = ChaosRuns.run("unsafe-skip-dedupe", ChaosRuns.options(30,
        List.of("pause"), List.of("counter"), 202)
        .withUnsafe(ChaosOptions.Unsafe.SKIP_DEDUPE));
    assertConvicted(result, "exactly-once-counter", "duplicate-apply");
  }

  @Test
  void locksWithoutFencingAreConvictedOfOverlappingHolds() throws Exception {
    // The server is correct; the workload trusts the lock and writes without the token's
    // guard, so a holder stalled past its session's TTL writes over the next holder.
    RunResult result = ChaosRuns.run("unsafe-unfenced-locks", ChaosRuns.options(40,
        List.of(), List.of("lock"), 203).withUnsafe(ChaosOptions.Unsafe.UNFENCED_LOCKS));
    assertConvicted(result, "lock-safety", "overlapping-holds");
  }

  private static void assertConvicted(RunResult result, String checker, String anomaly) {
    CheckResult verdict = ChaosRuns.checker(result, checker);
    assertThat(verdict.verdict()).as("%s on a broken build:%n%s", checker,
        ChaosRuns.verdicts(result)).isEqualTo(Verdict.FAIL);
    assertThat(verdict.anomalies()).extracting(Anomaly::kind).contains(anomaly);
    assertThat(result.verdict()).isEqualTo(Verdict.FAIL);
  }
}
