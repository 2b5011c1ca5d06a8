package io.coord.chaos.workload;

import io.coord.chaos.history.F;
import io.coord.client.CoordClient;
import io.coord.client.kv.Cmp;
import io.coord.client.kv.GetResult;
import io.coord.client.kv.Op;
import io.coord.client.kv.TxnResult;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Linearizable registers: reads, writes of unique values, and compare-and-set (a transaction
 * comparing the value) on a few keys. The keys change every {@link #KEY_PERIOD_SECONDS}
 * seconds, so that each key's history stays small enough for the linearizability search.
 *
 * <p>Half the workers are pinned to one member each (their client knows only that member), as
 * in etcd's robustness tests: when that member is cut off or behind, they keep asking it, which
 * is where a stale read would show. The other half use every member and fail over.
 */
public final class RegisterWorkload implements Workload {
  static final int KEY_PERIOD_SECONDS = 10;
  static final int KEYS_PER_PERIOD = 3;

  private final Set<String> keys = ConcurrentHashMap.newKeySet();
  private final WorkerPool pool = new WorkerPool("register");
  private long origin;

  @Override
  public String name() {
    return "register";
  }

  @Override
  public void start(WorkloadContext context) {
    origin = System.nanoTime();
    for (int member = 1; member <= context.members(); member++) {
      pool.start(new RegisterWorker(context, context.client(context.only(member)), true));
    }
    for (int member = 1; member <= context.members(); member++) {
      pool.start(new RegisterWorker(context, context.client(context.rotated(member)), false));
    }
  }

  @Override
  public void stop() {
    pool.stop();
  }

  @Override
  public void finish(WorkloadContext context) {
    try (CoordClient client = context.client(context.rotated(1))) {
      for (String key : new TreeSet<>(keys)) {
        FinalReads.read(context, key, () -> read(client, key));
      }
    }
  }

  private String currentKey(int slot) {
    long period = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - origin)
        / KEY_PERIOD_SECONDS;
    String key = "r" + period + "-" + slot;
    keys.add(key);
    return key;
  }

  static Object read(CoordClient client, String key) {
    GetResult result = client.kv().get(key);
    return result.first().map(kv -> Values.of(kv.value())).orElse(null);
  }

  private final class RegisterWorker extends Worker {
    private final boolean pinned;
    private final Map<String, Object> lastSeen = new HashMap<>();

    RegisterWorker(WorkloadContext context, CoordClient client, boolean pinned) {
      super(context, client);
      this.pinned = pinned;
    }

    @Override
    protected void step() {
      String key = currentKey(random.nextInt(KEYS_PER_PERIOD));
      int dice = random.nextInt(100);
      int reads = pinned ? 70 : 40;
      if (dice < reads) {
        read(key);
      } else if (dice < reads + (100 - reads) / 2) {
        write(key);
      } else {
        cas(key);
      }
    }

    private void read(String key) {
      recorder.invoke(process, F.READ, key, null);
      try {
        Object value = RegisterWorkload.read(client, key);
        recorder.ok(process, F.READ, key, value);
        lastSeen.put(key, value);
      } catch (RuntimeException e) {
        recorder.fail(process, F.READ, key, null, Recorder.error(e));
      }
    }

    private void write(String key) {
      long value = context.nextValue();
      recorder.invoke(process, F.WRITE, key, value);
      try {
        long revision = client.kv().put(key, Long.toString(value)).revision();
        recorder.ok(process, F.WRITE, key, value, revision);
        lastSeen.put(key, value);
      } catch (RuntimeException e) {
        recorder.info(process, F.WRITE, key, value, Recorder.error(e));
        newProcess();
      }
    }

    private void cas(String key) {
      Object expected = lastSeen.get(key);
      long value = context.nextValue();
      List<Object> argument = Arrays.asList(expected, value);
      recorder.invoke(process, F.CAS, key, argument);
      Cmp condition = expected == null ? Cmp.version(key).equalTo(0)
          : Cmp.value(key).equalTo(expected.toString());
      try {
        TxnResult result = client.kv().txn().when(condition)
            .then(Op.put(key, Long.toString(value))).commit();
        if (result.succeeded()) {
          recorder.ok(process, F.CAS, key, argument, result.header().revision());
          lastSeen.put(key, value);
        } else {
          recorder.fail(process, F.CAS, key, argument, "mismatch");
        }
      } catch (RuntimeException e) {
        recorder.info(process, F.CAS, key, argument, Recorder.error(e));
        newProcess();
      }
    }
  }
}
