package io.coord.chaos.workload;

import io.coord.chaos.history.F;
import java.util.function.Supplier;

/** Takes a {@code final-read}, retrying a failed one a bounded number of times. */
final class FinalReads {
  static final int ATTEMPTS = 10;

  private FinalReads() {
  }

  /** Records {@code final-read}s of {@code key} until one succeeds; true if one did. */
  static boolean read(WorkloadContext context, String key, Supplier<Object> read) {
    Recorder recorder = context.recorder();
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      long process = recorder.newProcess();
      recorder.invoke(process, F.FINAL_READ, key, null);
      try {
        recorder.ok(process, F.FINAL_READ, key, read.get());
        return true;
      } catch (RuntimeException e) {
        recorder.fail(process, F.FINAL_READ, key, null, Recorder.error(e));
        try {
          Thread.sleep(500);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    context.progress().say("no final read of %s succeeded in %d attempts", key, ATTEMPTS);
    return false;
  }
}
