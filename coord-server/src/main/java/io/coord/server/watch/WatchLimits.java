package io.coord.server.watch;

import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import java.time.Duration;

/**
 * The bounds of the watch hub.
 *
 * @param maxWatchesPerStream watches one stream may hold at once
 * @param maxBufferedEvents events queued for one watch before it is parked
 * @param maxBufferedBytes bytes of events queued for one watch before it is parked
 * @param progressInterval period of progress notifications for watches that asked for them
 */
public record WatchLimits(long maxWatchesPerStream, long maxBufferedEvents,
    long maxBufferedBytes, Duration progressInterval) {

  public static WatchLimits of(ServerConfig config) {
    return new WatchLimits(config.get(ConfigKeys.WATCH_MAX_PER_STREAM),
        config.get(ConfigKeys.WATCH_MAX_BUFFERED_EVENTS),
        config.get(ConfigKeys.WATCH_MAX_BUFFERED_BYTES),
        config.get(ConfigKeys.WATCH_PROGRESS_INTERVAL));
  }
}
