package io.coord.server.raft;

/**
 * Told when this member starts and stops being a ready leader. Events arrive in order on one
 * dedicated thread; implementations may block briefly but should hand long work elsewhere.
 */
public interface LeadershipListener {
  /**
   * This member is leader of {@code term} and every earlier entry is applied: leader-only
   * duties may start.
   */
  void onLeaderReady(long term);

  /** This member is no longer leader (or never became ready): stop leader-only duties. */
  void onLeadershipLost();
}
