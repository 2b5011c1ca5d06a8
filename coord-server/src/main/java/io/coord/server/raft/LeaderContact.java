package io.coord.server.raft;

/**
 * What one member knows of its leader at one moment: its term, the leader it follows, how long
 * since it last heard from that leader, whether its link to the leader's process broke, and how
 * far its log goes.
 *
 * @param member the member this describes
 * @param leader the leader's name, or null if none is known
 * @param following true if the member is a voting follower of {@code leader}
 * @param silenceMs milliseconds since the member last heard from its leader (if following)
 * @param upMs milliseconds since the member started (0 if it did not say)
 * @param linkLost true if the member's open stream to the leader's process broke (the process
 *     is very likely gone; false if it did not say)
 */
public record LeaderContact(String member, long term, String leader, boolean following,
    long silenceMs, long lastEntryTerm, long lastEntryIndex, long upMs, boolean linkLost) {

  /** What a member knows without anything about its link to the leader. */
  public LeaderContact(String member, long term, String leader, boolean following,
      long silenceMs, long lastEntryTerm, long lastEntryIndex, long upMs) {
    this(member, term, leader, following, silenceMs, lastEntryTerm, lastEntryIndex, upMs,
        false);
  }

  /** This contact with {@link #linkLost} set to {@code lost}. */
  public LeaderContact withLinkLost(boolean lost) {
    return new LeaderContact(member, term, leader, following, silenceMs, lastEntryTerm,
        lastEntryIndex, upMs, lost);
  }

  /** True if this member's log is more up to date than {@code other}'s (Raft's comparison). */
  public boolean logAheadOf(LeaderContact other) {
    return compareLogs(other) > 0;
  }

  /** Raft's log comparison: the later last term wins, then the longer log. */
  public int compareLogs(LeaderContact other) {
    int byTerm = Long.compare(lastEntryTerm, other.lastEntryTerm);
    return byTerm != 0 ? byTerm : Long.compare(lastEntryIndex, other.lastEntryIndex);
  }
}
