package io.coord.chaos.workload;

import com.google.protobuf.ByteString;
import io.coord.chaos.history.F;
import io.coord.client.CoordClient;
import io.coord.client.kv.DeleteResult;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchListener;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Watches. Writers put unique values to and delete a few keys under {@code w/} (recorded as
 * register operations with the revisions they created); one watcher per member — a client
 * that prefers that member and resumes elsewhere when it fails — watches the prefix from
 * revision 1, and now and then closes its watch and opens a new one from where it stopped.
 * After healing, the watchers are brought up to the last revision and closed, and the whole
 * revision history is read (a watch of every key from the first retained revision) as the
 * ground truth of the watch checker ({@code final-revisions}).
 */
public final class WatchWorkload implements Workload {
  static final String PREFIX = "w/";
  static final int KEYS = 4;
  /** The first key of Coord's reserved keyspace: a watch from it sees every key. */
  private static final ByteString EVERYTHING = ByteString.copyFrom(new byte[] {0, 0});

  private final WorkerPool pool = new WorkerPool("watch");
  private final List<WatcherWorker> watchers = new ArrayList<>();

  @Override
  public String name() {
    return "watch";
  }

  @Override
  public void start(WorkloadContext context) {
    for (int member = 1; member <= context.members(); member++) {
      pool.start(new Writer(context, context.client(context.rotated(member))));
    }
    for (int member = 1; member <= context.members(); member++) {
      WatcherWorker watcher = new WatcherWorker(context,
          context.client(context.rotated(member)), "watcher-n" + member);
      watchers.add(watcher);
      pool.start(watcher);
    }
  }

  @Override
  public void stop() {
    pool.stop();
  }

  @Override
  public void finish(WorkloadContext context) {
    try (CoordClient client = context.client(context.rotated(1))) {
      for (int k = 0; k < KEYS; k++) {
        String key = PREFIX + "k" + k;
        FinalReads.read(context, key, () -> RegisterWorkload.read(client, key));
      }
      long last = client.kv().get(PREFIX).header().revision();
      for (WatcherWorker watcher : watchers) {
        watcher.finish(last);
      }
      finalRevisions(context, client, last);
    }
  }

  /** Records the committed history up to {@code last}, read with a watch of every key. */
  private static void finalRevisions(WorkloadContext context, CoordClient client, long last) {
    Recorder recorder = context.recorder();
    long compacted = client.cluster().status().stream()
        .mapToLong(io.coord.client.cluster.MemberStatus::compactRevision).max().orElse(0);
    long process = recorder.newProcess();
    recorder.invoke(process, F.FINAL_REVISIONS, null, null);
    // Revision 1 is the empty store: the first change is revision 2.
    long first = Math.max(2, compacted + 1);
    TreeMap<Long, List<Map<String, Object>>> revisions = new TreeMap<>();
    Object lock = new Object();
    Watcher watcher = client.watches().watch(EVERYTHING,
        WatchOptions.builder().fromKey().startRevision(first).build(), new WatchListener() {
          @Override
          public void onEvents(long revision, List<WatchEvent> events) {
            List<Map<String, Object>> list = new ArrayList<>();
            for (WatchEvent event : events) {
              Map<String, Object> json = new LinkedHashMap<>();
              json.put("type", event.type() == WatchEvent.Type.PUT ? "put" : "delete");
              json.put("key", event.kv().keyString());
              if (event.type() == WatchEvent.Type.PUT) {
                json.put("value", Values.of(event.kv().value()));
              }
              list.add(json);
            }
            synchronized (lock) {
              revisions.put(revision, list);
              lock.notifyAll();
            }
          }
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    try {
      synchronized (lock) {
        while ((revisions.isEmpty() || revisions.lastKey() < last)
            && System.nanoTime() < deadline) {
          lock.wait(200);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      watcher.close();
    }
    List<Map<String, Object>> list = new ArrayList<>();
    synchronized (lock) {
      for (long r = first; r <= last; r++) {
        List<Map<String, Object>> events = revisions.get(r);
        if (events == null) {
          recorder.fail(process, F.FINAL_REVISIONS, null, null, "revision " + r
              + " was not delivered within 60 s");
          context.progress().say("final-revisions: revision %d missing", r);
          return;
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("revision", r);
        entry.put("events", events);
        list.add(entry);
      }
    }
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("compact_revision", compacted == 0 ? 0 : first);
    value.put("revisions", list);
    recorder.ok(process, F.FINAL_REVISIONS, null, value);
  }

  /** Puts and deletes keys under the prefix. */
  private static final class Writer extends Worker {
    Writer(WorkloadContext context, CoordClient client) {
      super(context, client);
    }

    @Override
    protected void step() {
      String key = PREFIX + "k" + random.nextInt(KEYS);
      if (random.nextInt(5) == 0) {
        recorder.invoke(process, F.DELETE, key, null);
        try {
          DeleteResult result = client.kv().delete(key);
          if (result.deleted() > 0) {
            recorder.ok(process, F.DELETE, key, null, result.header().revision());
          } else {
            recorder.ok(process, F.DELETE, key, null);
          }
        } catch (RuntimeException e) {
          recorder.info(process, F.DELETE, key, null, Recorder.error(e));
          newProcess();
        }
        return;
      }
      long value = context.nextValue();
      recorder.invoke(process, F.WRITE, key, value);
      try {
        long revision = client.kv().put(key, Long.toString(value)).revision();
        recorder.ok(process, F.WRITE, key, value, revision);
      } catch (RuntimeException e) {
        recorder.info(process, F.WRITE, key, value, Recorder.error(e));
        newProcess();
      }
    }
  }

  /**
   * One watcher: watches the prefix from revision 1 and every 10-25 s closes its watch and
   * resumes with a new one from the next revision.
   */
  private static final class WatcherWorker extends Worker {
    private final String name;
    private WatchRecorder current;
    private long resumeAt;

    WatcherWorker(WorkloadContext context, CoordClient client, String name) {
      super(context, client);
      this.name = name;
    }

    @Override
    protected void step() {
      synchronized (this) {
        if (current == null) {
          current = WatchRecorder.open(recorder, client, name, PREFIX, 1);
          scheduleResume();
        } else if (current.done() || System.nanoTime() > resumeAt) {
          long next = current.nextRevision();
          current.close();
          current = WatchRecorder.open(recorder, client, name, PREFIX, next);
          scheduleResume();
        }
      }
    }

    private void scheduleResume() {
      resumeAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(10 + random.nextInt(16));
    }

    @Override
    protected void think() {
      sleep(500);
    }

    /** Waits (bounded) until the watch delivered {@code last}, then completes it. */
    void finish(long last) {
      WatchRecorder watch;
      synchronized (this) {
        watch = current;
        current = null;
      }
      if (watch == null) {
        client.close();
        return;
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!watch.done() && watch.nextRevision() <= last && System.nanoTime() < deadline) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
      if (watch.nextRevision() <= last) {
        context.progress().say("%s did not reach revision %d (next %d)", name, last,
            watch.nextRevision());
      }
      watch.close();
      client.close();
    }

    /** The client stays open until {@link #finish}: the watch still runs. */
    @Override
    protected void done() {
    }
  }
}
