package io.coord.chaos.workload;

import io.coord.chaos.history.HistoryWriter;
import io.coord.client.CoordException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Records operations into the run's history and counts their outcomes. Invocations are
 * recorded before the request is sent and completions after the answer (or the decision to give
 * up), so the two times bracket the operation's effect. Thread-safe.
 */
public final class Recorder {
  private final HistoryWriter history;
  private final AtomicLong processes = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong fail = new AtomicLong();
  private final AtomicLong info = new AtomicLong();

  public Recorder(HistoryWriter history) {
    this.history = history;
  }

  /** A process number never used before in this run. */
  public long newProcess() {
    return processes.incrementAndGet();
  }

  public void invoke(long process, String f, String key, Object value) {
    history.invoke(process, f, key, value);
  }

  public void ok(long process, String f, String key, Object value) {
    ok.incrementAndGet();
    history.ok(process, f, key, value);
  }

  /** An acknowledged write that reported the revision it created. */
  public void ok(long process, String f, String key, Object value, long revision) {
    ok.incrementAndGet();
    history.ok(process, f, key, value, revision);
  }

  /** The operation certainly had no effect. */
  public void fail(long process, String f, String key, Object value, String error) {
    fail.incrementAndGet();
    history.fail(process, f, key, value, error);
  }

  /** The outcome is unknown: the operation may take effect, even later, or never. */
  public void info(long process, String f, String key, Object value, String error) {
    info.incrementAndGet();
    history.info(process, f, key, value, error);
  }

  /** Counts of completions so far: ok, fail, info. */
  public long[] counts() {
    return new long[] {ok.get(), fail.get(), info.get()};
  }

  /** A short description of a failure for the history's {@code error} field. */
  public static String error(Throwable failure) {
    String reason = failure instanceof CoordException coord ? coord.reason()
        : failure.getClass().getSimpleName();
    String message = failure.getMessage() == null ? "" : failure.getMessage();
    if (message.length() > 160) {
      message = message.substring(0, 160) + "...";
    }
    return reason + ": " + message;
  }
}
