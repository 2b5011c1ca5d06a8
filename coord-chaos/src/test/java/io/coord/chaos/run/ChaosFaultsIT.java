package io.coord.chaos.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.check.Verdict;
import io.coord.chaos.history.F;
import io.coord.chaos.history.History;
import io.coord.chaos.history.HistoryReader;
import io.coord.chaos.history.Operation;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One short chaos run per main fault type against a correct build: every checker must pass,
 * and the run must show the fault really happened (evidence) and that enough traffic went
 * through it. About a minute each.
 */
class ChaosFaultsIT {
  @Test
  void crashesOfMembersLeadersAndMajoritiesLoseNothing() throws Exception {
    RunResult result = ChaosRuns.run("kill", ChaosRuns.options(60, List.of("kill"),
        List.of("register", "counter"), 101));
    assertPassed(result, "kill");
    assertThat(result.availability()).get()
        .satisfies(a -> assertThat(a.recoveries()).as("leader losses").isNotEmpty());
  }

  @Test
  void pausedLeadersAndFollowersLoseNothing() throws Exception {
    RunResult result = ChaosRuns.run("pause", ChaosRuns.options(60, List.of("pause"),
        List.of("register", "counter", "set"), 102));
    assertPassed(result, "pause");
  }

  @Test
  void partitionsIncludingOneWayLinksKeepEveryGuarantee() throws Exception {
    RunResult result = ChaosRuns.run("partition", ChaosRuns.options(60, List.of("partition"),
        List.of("register", "watch"), 103));
    assertPassed(result, "partition");
    assertThat(ChaosRuns.checker(result, "watch").valid()).isTrue();
  }

  @Test
  void wallClockSkewOfTheLeaderBreaksNothing() throws Exception {
    RunResult result = ChaosRuns.run("skew", ChaosRuns.options(45, List.of("skew"),
        List.of("counter", "watch"), 104));
    assertPassed(result, "skew");
  }

  @Test
  void pausedMembersEndLockSessionsAndTheFenceRefusesTheExHoldersWrites() throws Exception {
    RunResult result = ChaosRuns.run("lock-pause", ChaosRuns.options(60, List.of("pause"),
        List.of("lock"), 105));
    assertPassed(result, "pause");
    assertThat(ChaosRuns.checker(result, "lock-safety").valid()).isTrue();
    History history = HistoryReader.read(result.dir().resolve("history.jsonl"));
    List<Operation> writes = history.operations(F.GUARDED_WRITE);
    assertThat(history.operations(F.ACQUIRE)).filteredOn(Operation::isOk)
        .as("grants").hasSizeGreaterThan(100);
    assertThat(writes).filteredOn(Operation::isOk).as("accepted guarded writes")
        .hasSizeGreaterThan(100);
    // The fence was exercised: writes of holders whose session had ended were refused.
    assertThat(writes).filteredOn(w -> w.isFail() && "stale-token".equals(w.error()))
        .as("guarded writes refused as stale").isNotEmpty();
  }

  private static void assertPassed(RunResult result, String fault) {
    assertThat(result.verdict()).as("verdict of the %s run:%n%s", fault,
        ChaosRuns.report(result)).isEqualTo(Verdict.PASS);
    assertThat(result.injected().getOrDefault(fault, 0)).as("%s faults injected", fault)
        .isGreaterThanOrEqualTo(2);
    assertThat(result.operations()[0]).as("acknowledged operations").isGreaterThan(500);
    assertThat(ChaosRuns.checker(result, "convergence").valid()).isTrue();
  }
}
