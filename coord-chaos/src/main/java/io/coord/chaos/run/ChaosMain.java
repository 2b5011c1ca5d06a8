package io.coord.chaos.run;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code scripts/chaos}: runs one chaos run from the command line (see
 * {@link ChaosOptions#parse}) and prints its one-line verdict. Exit status: 0 every checker
 * passed, 1 one failed, 2 undecided, 3 the harness failed, 64 usage.
 */
public final class ChaosMain {
  private ChaosMain() {
  }

  public static void main(String[] args) {
    ChaosOptions options;
    try {
      options = ChaosOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("chaos: " + e.getMessage());
      System.err.println(ChaosOptions.USAGE);
      System.exit(64);
      return;
    }
    Logger.getLogger("io.grpc").setLevel(Level.SEVERE);
    try {
      RunResult result = ChaosRun.run(options, System.err);
      System.out.println("chaos: " + result.summary());
      System.exit(switch (result.verdict()) {
        case PASS -> 0;
        case FAIL -> 1;
        case UNKNOWN -> 2;
      });
    } catch (Exception e) {
      System.err.println("chaos: the run failed: " + e);
      e.printStackTrace(System.err);
      System.out.println("chaos: VERDICT ERROR: the harness failed: " + e.getMessage());
      System.exit(3);
    }
  }
}
