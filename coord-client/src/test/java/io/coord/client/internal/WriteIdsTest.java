package io.coord.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The lowest sequence in flight, as sent in every write's headers: the server forgets every
 * result below it and refuses those sequences as "already completed". So it must never pass a
 * sequence that {@link WriteIds#begin()} is handing out at that moment.
 */
@Timeout(60)
class WriteIdsTest {
  @Test
  void sequencesStartAndEndInOrder() {
    WriteIds ids = new WriteIds();
    assertThat(ids.firstIncomplete()).isEqualTo(1);
    long first = ids.begin();
    long second = ids.begin();
    assertThat(ids.firstIncomplete()).isEqualTo(first);
    ids.end(first);
    assertThat(ids.firstIncomplete()).isEqualTo(second);
    ids.end(second);
    assertThat(ids.firstIncomplete()).isEqualTo(second + 1);
  }

  @Test
  void theLowestInFlightNeverPassesASequenceBeingHandedOut() throws Exception {
    WriteIds ids = new WriteIds();
    AtomicLong highestSeen = new AtomicLong();
    AtomicLong passed = new AtomicLong();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    int writes = 2_000_000;
    Thread headers = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          long first = ids.firstIncomplete();
          highestSeen.accumulateAndGet(first, Math::max);
        }
      } catch (RuntimeException e) {
        failed.set(e);
      }
    });
    headers.start();
    try {
      for (int i = 0; i < writes && passed.get() == 0 && failed.get() == null; i++) {
        long seq = ids.begin();
        // Every value read before begin() returned was at most seq (seq was next, or in
        // flight), unless it was read while begin() had taken seq but not yet marked it.
        if (highestSeen.get() > seq) {
          passed.set(seq);
        }
        ids.end(seq);
      }
    } finally {
      headers.interrupt();
      headers.join();
    }
    assertThat(failed.get()).as("reading the lowest in flight").isNull();
    assertThat(passed.get()).as("a sequence the lowest in flight had passed").isZero();
  }
}
