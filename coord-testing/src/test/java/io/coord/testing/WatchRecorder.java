package io.coord.testing;

import io.coord.client.CoordException;
import io.coord.client.watch.WatchEvent;
import io.coord.client.watch.WatchListener;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records everything a watch delivers, in order. */
class WatchRecorder implements WatchListener {
  /** One onEvents call. */
  record Call(long revision, List<WatchEvent> events) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  final List<Long> progress = new CopyOnWriteArrayList<>();
  final List<Long> compacted = new CopyOnWriteArrayList<>();
  final List<CoordException> errors = new CopyOnWriteArrayList<>();

  @Override
  public void onEvents(long revision, List<WatchEvent> events) {
    calls.add(new Call(revision, events));
  }

  @Override
  public void onProgress(long revision) {
    progress.add(revision);
  }

  @Override
  public void onCompacted(long compactRevision) {
    compacted.add(compactRevision);
  }

  @Override
  public void onError(CoordException error) {
    errors.add(error);
  }

  List<WatchEvent> events() {
    List<WatchEvent> out = new ArrayList<>();
    calls.forEach(c -> out.addAll(c.events()));
    return out;
  }

  int eventCount() {
    int count = 0;
    for (Call call : calls) {
      count += call.events().size();
    }
    return count;
  }

  /** "PUT key=value@revision" / "DELETE key@revision" lines, for readable comparisons. */
  List<String> lines() {
    return events().stream().map(WatchRecorder::line).toList();
  }

  static String line(WatchEvent e) {
    return e.type() == WatchEvent.Type.PUT
        ? "PUT " + e.kv().keyString() + "=" + e.kv().valueString() + "@" + e.revision()
        : "DELETE " + e.kv().keyString() + "@" + e.revision();
  }
}
