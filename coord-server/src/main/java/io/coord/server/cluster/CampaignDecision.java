package io.coord.server.cluster;

import io.coord.server.raft.LeaderContact;
import java.util.List;

/**
 * Whether a follower that stopped hearing from its leader should start an election now: what
 * Raft's pre-vote establishes (a majority of voters no longer hear from the leader; a voter
 * whose open stream to the leader's process broke counts as one that does not), plus a
 * choice of one candidate among the followers that agree, so that they do not split the vote.
 *
 * <p>The candidate is the agreeing follower with the most up-to-date log; among equal logs, the
 * one that has run longer by more than {@link #UPTIME_MARGIN_MS} (a member restarted seconds
 * ago runs the consultation, the election and its first term as leader through code its JVM
 * has not compiled yet, measured 100-200 ms slower in all), then the smaller name.
 */
final class CampaignDecision {
  /** Uptimes closer than this count as equal, so that both sides rank them alike. */
  static final long UPTIME_MARGIN_MS = 10_000;

  enum Verdict {
    /** Start the election now. */
    CAMPAIGN,
    /** Another agreeing follower is the better candidate; leave the election to it. */
    DEFER,
    /** No election: the leader is still heard by enough voters, or one is under way. */
    HOLD
  }

  /**
   * @param verdict what to do
   * @param agreeing voters, this member included, that lost the same leader in the same term
   */
  record Outcome(Verdict verdict, int agreeing) {}

  private CampaignDecision() {}

  /**
   * @param self this member, following a leader it has not heard from for at least
   *     {@code silenceMs} or whose link to it broke
   * @param answers what the other voters answered (those that did not answer are absent)
   * @param voters the number of voters in the configuration, this member included
   * @param silenceMs how long a voter must not have heard from the leader to count as agreeing
   *     (if its link to the leader did not break)
   * @param ignoreRanking true to campaign even if an agreeing follower with an equal log that
   *     ranks before this member (longer uptime, or a smaller name) should have (it was given
   *     its chance and did not)
   */
  static Outcome decide(LeaderContact self, List<LeaderContact> answers, int voters,
      long silenceMs, boolean ignoreRanking) {
    if (!agrees(self, self, silenceMs)) {
      return new Outcome(Verdict.HOLD, 0);
    }
    int agreeing = 1;
    boolean better = false;
    for (LeaderContact answer : answers) {
      if (answer.term() > self.term()) {
        return new Outcome(Verdict.HOLD, agreeing);
      }
      if (!agrees(answer, self, silenceMs)) {
        continue;
      }
      agreeing++;
      int logs = answer.compareLogs(self);
      if (logs > 0 || (logs == 0 && !ignoreRanking && ranksBefore(answer, self))) {
        better = true;
      }
    }
    if (agreeing < voters / 2 + 1) {
      return new Outcome(Verdict.HOLD, agreeing);
    }
    return new Outcome(better ? Verdict.DEFER : Verdict.CAMPAIGN, agreeing);
  }

  /** Between two followers with equal logs: the one up longer, then the smaller name. */
  private static boolean ranksBefore(LeaderContact a, LeaderContact b) {
    long uptimes = a.upMs() - b.upMs();
    if (Math.abs(uptimes) > UPTIME_MARGIN_MS) {
      return uptimes > 0;
    }
    return a.member().compareTo(b.member()) < 0;
  }

  private static boolean agrees(LeaderContact answer, LeaderContact self, long silenceMs) {
    return answer.following() && answer.term() == self.term()
        && self.leader() != null && self.leader().equals(answer.leader())
        && (answer.silenceMs() >= silenceMs || answer.linkLost());
  }
}
