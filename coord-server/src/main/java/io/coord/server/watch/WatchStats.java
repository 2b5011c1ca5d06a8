package io.coord.server.watch;

/**
 * A member's watches at one moment.
 *
 * @param streams open watch streams
 * @param synced watches fed live by apply
 * @param unsynced watches behind the member's revision, being caught up from history (parked
 *     slow consumers, watches started in the past, re-syncs after a snapshot install)
 */
public record WatchStats(int streams, int synced, int unsynced) {}
