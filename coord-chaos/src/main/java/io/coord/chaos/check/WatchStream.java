package io.coord.chaos.check;

import com.fasterxml.jackson.databind.JsonNode;
import io.coord.chaos.history.Operation;
import java.util.ArrayList;
import java.util.List;

/**
 * One recorded {@code watch} operation: what was watched from which revision, and the
 * responses received, in order.
 *
 * @param op the operation
 * @param key the watched key, or the watched prefix
 * @param prefix true if {@code key} is a prefix
 * @param start the requested start revision; 0 if the watch started "now"
 * @param responses the responses received (empty for a refused watch)
 */
record WatchStream(Operation op, String key, boolean prefix, long start,
    List<Response> responses) {

  /**
   * One response of the stream.
   *
   * @param revision the response header's revision
   * @param events the events it carried, in order
   * @param progress true for a progress notification (bookmark): all events up to
   *     {@code revision} were delivered before it
   */
  record Response(long revision, List<KvEvent> events, boolean progress) {
  }

  /**
   * Parses a {@code watch} operation: input {@code {"watcher": W, "start_revision": S,
   * "prefix": P}}, output {@code {"responses": [{"revision": H, "events": [...],
   * "progress": B}]}}.
   */
  static WatchStream parse(Operation op) {
    if (op.key() == null) {
      throw new IllegalArgumentException("watch by p" + op.process() + " needs a key");
    }
    JsonNode input = op.input();
    List<Response> responses = new ArrayList<>();
    for (JsonNode response : op.output().path("responses")) {
      List<KvEvent> events = new ArrayList<>();
      for (JsonNode event : response.path("events")) {
        events.add(KvEvent.parse(event, null));
      }
      responses.add(new Response(response.path("revision").asLong(0), events,
          response.path("progress").asBoolean(false)));
    }
    return new WatchStream(op, op.key(), input.path("prefix").asBoolean(false),
        input.path("start_revision").asLong(0), responses);
  }

  /** The watcher's name, for reports: the {@code watcher} field or the process. */
  String name() {
    JsonNode watcher = op.input().get("watcher");
    return watcher != null && watcher.isTextual() ? watcher.asText() : "p" + op.process();
  }

  /** True if the watch's filter selects {@code eventKey}. */
  boolean matches(String eventKey) {
    return prefix ? eventKey.startsWith(key) : eventKey.equals(key);
  }
}
