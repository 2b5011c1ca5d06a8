package io.coord.server.time;

/**
 * The only way time enters the server. Read by leader-only components (the leader's stamp on
 * log entries, session expiry, automatic compaction, the stalled Raft link check) and by a
 * member's own timers about its leader (how long it knew none, the election watchdog); never by
 * the apply path.
 */
public interface Clock {
  /** Wall-clock milliseconds since the epoch; may jump. */
  long wallMillis();

  /** Monotonic nanoseconds for deadlines; meaningful only as differences within one process. */
  long monotonicNanos();

  Clock SYSTEM = new Clock() {
    @Override
    public long wallMillis() {
      return System.currentTimeMillis();
    }

    @Override
    public long monotonicNanos() {
      return System.nanoTime();
    }
  };
}
