package io.coord.chaos.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.chaos.check.RegisterHistoryGenerator.GenOp;
import io.coord.chaos.history.EventType;
import io.coord.chaos.history.History;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/**
 * Histories generated from a real sequential register with random concurrency must pass; the
 * same histories with one read turned stale must fail, on that read's key.
 */
class RandomizedLinearizabilityTest {
  private final LinearizabilityChecker checker = new LinearizabilityChecker();

  @Test
  void generatedHistoriesAreLinearizable() {
    for (long seed = 1; seed <= 60; seed++) {
      List<GenOp> ops = new RegisterHistoryGenerator(seed, 5, 2, 0.1).generate(300);
      History history = History.of(RegisterHistoryGenerator.events(ops));

      LinearizabilityResult result = checker.checkKeys(history);

      assertThat(result.verdict()).as("seed %d: %s", seed, result).isEqualTo(Verdict.PASS);
    }
  }

  @Test
  void aGeneratedHistoryWithOneStaleReadIsNotLinearizable() {
    int mutated = 0;
    for (long seed = 1; seed <= 60; seed++) {
      List<GenOp> ops = new RegisterHistoryGenerator(seed, 5, 2, 0.1).generate(300);
      GenOp read = makeOneReadStale(ops);
      if (read == null) {
        continue;
      }
      mutated++;
      History history = History.of(RegisterHistoryGenerator.events(ops));

      LinearizabilityResult result = checker.checkKeys(history);

      assertThat(result.key(read.key).verdict()).as("seed %d", seed).isEqualTo(Verdict.FAIL);
      assertThat(result.key(read.key).window().ops())
          .as("seed %d: the stale read is in the failing window", seed)
          .anySatisfy(op -> {
            assertThat(op.f()).isEqualTo("read");
            assertThat(op.invokeTime()).isEqualTo(read.invoke);
          });
      for (KeyResult other : result.keys()) {
        if (!other.key().equals(read.key)) {
          assertThat(other.verdict()).as("seed %d key %s", seed, other.key())
              .isEqualTo(Verdict.PASS);
        }
      }
    }
    assertThat(mutated).as("histories where a read could be made stale").isGreaterThan(50);
  }

  /**
   * Makes an acknowledged read return the value of an acknowledged write w1 that another
   * acknowledged write w2 certainly overwrote before the read began (w1 ended before w2
   * started, w2 ended before the read started); with unique values no linearization can
   * explain it.
   */
  private static GenOp makeOneReadStale(List<GenOp> ops) {
    for (int r = ops.size() - 1; r >= 0; r--) {
      GenOp read = ops.get(r);
      if (!read.f.equals("read") || read.type != EventType.OK) {
        continue;
      }
      for (GenOp w2 : ops) {
        if (!acknowledgedWrite(w2, read.key) || w2.complete >= read.invoke) {
          continue;
        }
        for (GenOp w1 : ops) {
          if (acknowledgedWrite(w1, read.key) && w1.complete < w2.invoke
              && !Objects.equals(written(w1), read.output)) {
            read.output = written(w1);
            return read;
          }
        }
      }
    }
    return null;
  }

  private static boolean acknowledgedWrite(GenOp op, String key) {
    return op.key.equals(key) && op.type == EventType.OK && !op.f.equals("read");
  }

  private static Object written(GenOp op) {
    return op.f.equals("write") ? op.input : ((List<?>) op.input).get(1);
  }

  @Test
  void fiveThousandOperationsOfTenProcessesCheckInAFewSeconds() {
    List<GenOp> ops = new RegisterHistoryGenerator(42, 10, 10, 0.02).generate(5_000);
    History history = History.of(RegisterHistoryGenerator.events(ops));

    long start = System.nanoTime();
    LinearizabilityResult result = checker.checkKeys(history);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    assertThat(result.keys()).hasSize(10);
    assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void fiveThousandOperationsOnOneKeyWithTenConcurrentProcessesCheckInAFewSeconds() {
    List<GenOp> ops = new RegisterHistoryGenerator(7, 10, 1, 0.02).generate(5_000);
    History history = History.of(RegisterHistoryGenerator.events(ops));

    long start = System.nanoTime();
    LinearizabilityResult result = checker.checkKeys(history);
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

    assertThat(result.verdict()).isEqualTo(Verdict.PASS);
    assertThat(elapsed).isLessThan(Duration.ofSeconds(5));
  }
}
