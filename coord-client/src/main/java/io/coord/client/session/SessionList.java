package io.coord.client.session;

import java.util.List;

/**
 * The sessions of the cluster.
 *
 * @param live the live sessions, by id
 * @param ended the recently ended sessions, newest first (empty unless asked for)
 */
public record SessionList(List<SessionInfo> live, List<EndedSession> ended) {}
