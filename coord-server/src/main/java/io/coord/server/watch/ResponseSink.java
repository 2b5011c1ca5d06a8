package io.coord.server.watch;

import io.coord.proto.v1.WatchResponse;
import io.coord.server.error.CoordError;

/**
 * The client end of a watch stream (a gRPC call, in production). The hub calls it from one
 * thread at a time.
 */
public interface ResponseSink {
  /** True if the client can take a response now without it piling up in memory. */
  boolean isReady();

  /** Sends one response. */
  void send(WatchResponse response);

  /** Ends the stream: normally if {@code error} is null. */
  void close(CoordError error);
}
