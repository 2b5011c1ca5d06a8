package io.coord.chaos.workload;

import io.coord.chaos.history.F;
import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import io.coord.client.kv.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Exactly-once counters. Each increment is a transaction, without condition, that puts the key
 * {@code ctr/<period>/<id>} for an id unique in the run; the client retries it across failovers
 * under one request id. A put applied twice leaves the key at version 2, so the counter read —
 * every id under {@code ctr/<period>/}, repeated as many times as its key's version — shows any
 * double apply, which the exactly-once checker reports.
 *
 * <p>One increment in {@link #IMPATIENT_EVERY} goes through an impatient client (see
 * {@link WorkloadContext#impatientClient}): every attempt is abandoned after it reached a
 * member and retried elsewhere under the same request id, so each run makes the dedupe table
 * absorb many copies of one write, whatever the faults.
 *
 * <p>The counter (history key {@code counter-<period>}) changes every
 * {@link #COUNTER_PERIOD_SECONDS}: a read lists every id of its counter, so with one counter for
 * the whole run the reads, and the history, would grow with the square of the duration (a
 * 10-minute run wrote 87 MB of counter reads, more than the checker's heap could parse).
 */
public final class CounterWorkload implements Workload {
  static final String KEY_PREFIX = "counter-";
  static final String PREFIX = "ctr/";
  static final int COUNTER_PERIOD_SECONDS = 60;
  static final int IMPATIENT_EVERY = 50;

  private final Set<Long> periods = ConcurrentHashMap.newKeySet();
  private final WorkerPool pool = new WorkerPool("counter");
  private long origin;

  @Override
  public String name() {
    return "counter";
  }

  @Override
  public void start(WorkloadContext context) {
    origin = System.nanoTime();
    for (int member = 1; member <= context.members(); member++) {
      pool.start(new CounterWorker(context, context.rotated(member)));
    }
  }

  @Override
  public void stop() {
    pool.stop();
  }

  @Override
  public void finish(WorkloadContext context) {
    try (CoordClient client = context.client(context.rotated(1))) {
      for (long period : new TreeSet<>(periods)) {
        FinalReads.read(context, key(period), () -> read(client, period));
      }
    }
  }

  /** The current period, noted for the final reads. */
  private long period() {
    long period = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - origin)
        / COUNTER_PERIOD_SECONDS;
    periods.add(period);
    return period;
  }

  /** The history's key of the counter of {@code period}. */
  static String key(long period) {
    return KEY_PREFIX + period;
  }

  /** The store prefix of the counter of {@code period}. */
  static String prefix(long period) {
    return PREFIX + period + "/";
  }

  /**
   * The ids applied to the counter of {@code period}, in the order they were first applied,
   * each once per application.
   */
  static List<Object> read(CoordClient client, long period) {
    List<KeyValue> kvs = new ArrayList<>(client.kv().get(prefix(period),
        GetOptions.builder().prefix().build()).kvs());
    kvs.sort(Comparator.comparingLong(KeyValue::createRevision));
    List<Object> ids = new ArrayList<>();
    for (KeyValue kv : kvs) {
      for (long i = 0; i < kv.version(); i++) {
        ids.add(kv.valueString());
      }
    }
    return ids;
  }

  private final class CounterWorker extends Worker {
    private final CoordClient impatient;

    CounterWorker(WorkloadContext context, List<String> endpoints) {
      super(context, context.client(endpoints));
      this.impatient = context.impatientClient(endpoints);
    }

    @Override
    protected void done() {
      try {
        impatient.close();
      } finally {
        super.done();
      }
    }

    @Override
    protected void step() {
      long period = period();
      String key = key(period);
      if (random.nextInt(30) == 0) {
        recorder.invoke(process, F.READ, key, null);
        try {
          recorder.ok(process, F.READ, key, read(client, period));
        } catch (RuntimeException e) {
          recorder.fail(process, F.READ, key, null, Recorder.error(e));
        }
        return;
      }
      String id = "i" + context.nextValue();
      recorder.invoke(process, F.INCR, key, id);
      try {
        CoordClient sender = random.nextInt(IMPATIENT_EVERY) == 0 ? impatient : client;
        sender.kv().txn().then(Op.put(prefix(period) + id, id)).commit();
        recorder.ok(process, F.INCR, key, id);
      } catch (RuntimeException e) {
        recorder.info(process, F.INCR, key, id, Recorder.error(e));
        newProcess();
      }
    }
  }
}
