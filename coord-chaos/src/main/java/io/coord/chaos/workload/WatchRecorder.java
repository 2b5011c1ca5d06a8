package io.coord.chaos.workload;

import io.coord.chaos.history.F;
import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchListener;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code watch} operation: a resuming watch of the client on a prefix, recording every
 * revision's events and every progress notification the listener gets, in order. Closing it
 * completes the operation {@code ok}; an error ends it as {@code info}, a compacted start as
 * {@code fail} "compacted".
 */
final class WatchRecorder implements WatchListener {
  private final Recorder recorder;
  private final String watcherName;
  private final String prefix;
  private final long start;
  private final long process;
  private final List<Map<String, Object>> responses = new ArrayList<>();
  private Watcher watcher;
  private boolean done;

  private WatchRecorder(Recorder recorder, String watcherName, String prefix, long start) {
    this.recorder = recorder;
    this.watcherName = watcherName;
    this.prefix = prefix;
    this.start = start;
    this.process = recorder.newProcess();
  }

  /** Records the invocation and starts watching {@code prefix} from {@code start}. */
  static WatchRecorder open(Recorder recorder, CoordClient client, String watcherName,
      String prefix, long start) {
    WatchRecorder watch = new WatchRecorder(recorder, watcherName, prefix, start);
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("watcher", watcherName);
    input.put("start_revision", start);
    input.put("prefix", true);
    recorder.invoke(watch.process, F.WATCH, prefix, input);
    Watcher watcher = client.watch(prefix,
        WatchOptions.builder().prefix().startRevision(start).build(), watch);
    synchronized (watch) {
      watch.watcher = watcher;
    }
    return watch;
  }

  /** The revision a watch resumed now would start from. */
  synchronized long nextRevision() {
    return watcher == null ? start : Math.max(start, watcher.nextRevision());
  }

  /** True once the operation completed. */
  synchronized boolean done() {
    return done;
  }

  @Override
  public synchronized void onEvents(long revision, List<WatchEvent> events) {
    if (done) {
      return;
    }
    List<Map<String, Object>> list = new ArrayList<>();
    for (WatchEvent event : events) {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("type", event.type() == WatchEvent.Type.PUT ? "put" : "delete");
      json.put("key", event.kv().keyString());
      if (event.type() == WatchEvent.Type.PUT) {
        json.put("value", Values.of(event.kv().value()));
      }
      json.put("revision", event.revision());
      list.add(json);
    }
    responses.add(response(revision, list, false));
  }

  @Override
  public synchronized void onProgress(long revision) {
    if (!done) {
      responses.add(response(revision, List.of(), true));
    }
  }

  @Override
  public synchronized void onCompacted(long compactRevision) {
    if (!done) {
      done = true;
      recorder.fail(process, F.WATCH, prefix, output(), "compacted");
    }
  }

  @Override
  public synchronized void onError(CoordException error) {
    if (!done) {
      done = true;
      recorder.info(process, F.WATCH, prefix, output(), Recorder.error(error));
    }
  }

  /** Stops the watch and completes the operation with what it received. */
  void close() {
    Watcher current;
    synchronized (this) {
      current = watcher;
    }
    if (current != null) {
      current.close();
    }
    synchronized (this) {
      if (!done) {
        done = true;
        recorder.ok(process, F.WATCH, prefix, output());
      }
    }
  }

  String watcherName() {
    return watcherName;
  }

  private Map<String, Object> output() {
    return Map.of("responses", List.copyOf(responses));
  }

  private static Map<String, Object> response(long revision, List<Map<String, Object>> events,
      boolean progress) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("revision", revision);
    json.put("events", events);
    json.put("progress", progress);
    return json;
  }
}
