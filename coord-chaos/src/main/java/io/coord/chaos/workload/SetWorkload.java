package io.coord.chaos.workload;

import io.coord.chaos.history.F;
import io.coord.client.CoordClient;
import io.coord.client.kv.GetOptions;
import io.coord.client.kv.KeyValue;
import java.util.List;

/**
 * A set: each {@code add} puts a fresh key {@code set/<element>}; a read lists the keys under
 * {@code set/}. The final read must hold every acknowledged add.
 */
public final class SetWorkload implements Workload {
  static final String KEY = "set";
  static final String PREFIX = "set/";

  private final WorkerPool pool = new WorkerPool("set");

  @Override
  public String name() {
    return "set";
  }

  @Override
  public void start(WorkloadContext context) {
    for (int member = 1; member <= context.members(); member++) {
      pool.start(new SetWorker(context, context.client(context.rotated(member))));
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

  static List<Object> read(CoordClient client) {
    return client.kv().get(PREFIX, GetOptions.builder().prefix().build()).kvs().stream()
        .map(KeyValue::value).map(Values::of).toList();
  }

  private static final class SetWorker extends Worker {
    SetWorker(WorkloadContext context, CoordClient client) {
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
      long element = context.nextValue();
      recorder.invoke(process, F.ADD, KEY, element);
      try {
        client.kv().put(PREFIX + element, Long.toString(element));
        recorder.ok(process, F.ADD, KEY, element);
      } catch (RuntimeException e) {
        recorder.info(process, F.ADD, KEY, element, Recorder.error(e));
        newProcess();
      }
    }
  }
}
