package io.coord.server.raft;

import java.util.Map;

/**
 * What this member knows of Raft right now, in plain types.
 *
 * @param role LEADER, FOLLOWER, CANDIDATE or LISTENER
 * @param term the current term
 * @param leaderName the known leader's name, or null
 * @param commitIndex highest index known committed
 * @param appliedIndex highest index applied (including configuration entries)
 * @param lastLogIndex highest index in the local log
 * @param logStartIndex lowest index still in the local log (older entries are in a snapshot)
 * @param followers on the leader only: progress of each other member by name
 */
public record RaftStatus(String role, long term, String leaderName, long commitIndex,
    long appliedIndex, long lastLogIndex, long logStartIndex,
    Map<String, FollowerProgress> followers) {

  /**
   * The leader's view of one other member.
   *
   * @param lastContactMs milliseconds since the leader last sent to it or heard from it
   * @param commitIndex its commit index as last reported to the leader
   * @param matchIndex highest log index the leader knows it holds (-1 if unknown)
   * @param nextIndex next log index the leader will send it (-1 if unknown); below the log
   *     start, it is owed a snapshot
   */
  public record FollowerProgress(long lastContactMs, long commitIndex, long matchIndex,
      long nextIndex) {}
}
