package io.coord.chaos.workload;

import io.coord.chaos.history.F;
import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import io.coord.client.kv.Op;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An exactly-once counter. Each increment is a transaction, without condition, that puts the
 * key {@code ctr/<id>} for an id unique in the run; the client retries it across failovers
 * under one request id. A put applied twice leaves the key at version 2, so the counter read —
 * every id under {@code ctr/}, repeated as many times as its key's version — shows any double
 * apply, which the exactly-once checker reports.
 */
public final class CounterWorkload implements Workload {
  static final String KEY = "counter";
  static final String PREFIX = "ctr/";

  private final WorkerPool pool = new WorkerPool("counter");

  @Override
  public String name() {
    return "counter";
  }

  @Override
  public void start(WorkloadContext context) {
    for (int member = 1; member <= context.members(); member++) {
      pool.start(new CounterWorker(context, context.client(context.rotated(member))));
    }
  }

  @Override
  public void stop() {
    pool.stop();
  }

  @Override
  public void finish(WorkloadContext context) {
    try (CoordClient client = context.client(context.rotated(1))) {
      FinalReads.read(context, KEY, () -> read(client));
    }
  }

  /** The ids applied, in the order they were first applied, each once per application. */
  static List<Object> read(CoordClient client) {
    List<KeyValue> kvs = new ArrayList<>(client.kv().get(PREFIX, GetOptions.builder().prefix()
        .build()).kvs());
    kvs.sort(Comparator.comparingLong(KeyValue::createRevision));
    List<Object> ids = new ArrayList<>();
    for (KeyValue kv : kvs) {
      for (long i = 0; i < kv.version(); i++) {
        ids.add(kv.valueString());
      }
    }
    return ids;
  }

  private static final class CounterWorker extends Worker {
    CounterWorker(WorkloadContext context, CoordClient client) {
      super(context, client);
    }

    @Override
    protected void step() {
      if (random.nextInt(30) == 0) {
        recorder.invoke(process, F.READ, KEY, null);
        try {
          recorder.ok(process, F.READ, KEY, read(client));
        } catch (RuntimeException e) {
          recorder.fail(process, F.READ, KEY, null, Recorder.error(e));
        }
        return;
      }
      String id = "i" + context.nextValue();
      recorder.invoke(process, F.INCR, KEY, id);
      try {
        client.kv().txn().then(Op.put(PREFIX + id, id)).commit();
        recorder.ok(process, F.INCR, KEY, id);
      } catch (RuntimeException e) {
        recorder.info(process, F.INCR, KEY, id, Recorder.error(e));
        newProcess();
      }
    }
  }
}
