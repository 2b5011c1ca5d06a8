package io.coord.server.time;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A clock for tests: time moves only when the test advances it; wall time follows it. */
public final class ManualClock implements Clock {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @Override
  public long wallMillis() {
    return nanos.get() / 1_000_000;
  }

  @Override
  public long monotonicNanos() {
    return nanos.get();
  }

  public void advance(Duration by) {
    nanos.addAndGet(by.toNanos());
  }
}
