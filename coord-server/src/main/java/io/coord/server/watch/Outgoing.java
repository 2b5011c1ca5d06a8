package io.coord.server.watch;

import io.coord.proto.v1.WatchResponse;

/**
 * A response queued on a stream, with what it weighs on its watch's buffer.
 *
 * @param watcher the watch it belongs to, or null for stream-wide responses
 * @param events number of events in it
 * @param bytes serialized size of its events
 */
record Outgoing(WatchResponse response, Watcher watcher, int events, long bytes) {
  static Outgoing control(WatchResponse response, Watcher watcher) {
    return new Outgoing(response, watcher, 0, 0);
  }
}
