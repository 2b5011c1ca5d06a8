package io.coord.server.cluster;

import static io.coord.server.cluster.CampaignDecision.Verdict.CAMPAIGN;
import static io.coord.server.cluster.CampaignDecision.Verdict.DEFER;
import static io.coord.server.cluster.CampaignDecision.Verdict.HOLD;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.server.cluster.CampaignDecision.Verdict;
import io.coord.server.raft.LeaderContact;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignDecisionTest {
  private static final long SILENCE = 300;

  private static final long HOUR = 3_600_000;

  /**
   * A voting follower of n1 in term 4, silent for {@code silenceMs}, log ending at 4/index, up
   * for an hour.
   */
  private static LeaderContact follower(String name, long silenceMs, long index) {
    return follower(name, silenceMs, index, HOUR);
  }

  private static LeaderContact follower(String name, long silenceMs, long index, long upMs) {
    return new LeaderContact(name, 4, "n1", true, silenceMs, 4, index, upMs);
  }

  /** The verdict of {@code self} in a cluster of {@code voters}, the ranking among equal logs in force. */
  private static Verdict verdict(LeaderContact self, int voters, LeaderContact... answers) {
    return CampaignDecision.decide(self, List.of(answers), voters, SILENCE, false).verdict();
  }

  @Test
  void campaignsWhenAMajorityNoLongerHearsTheLeader() {
    CampaignDecision.Outcome outcome = CampaignDecision.decide(follower("n2", 320, 10),
        List.of(follower("n3", 310, 10)), 3, SILENCE, false);
    assertThat(outcome).isEqualTo(new CampaignDecision.Outcome(CAMPAIGN, 2));
  }

  @Test
  void holdsWhenTheOtherFollowerStillHearsTheLeader() {
    // A follower cut off from the leader alone must not depose a leader the others still hear.
    assertThat(verdict(follower("n2", 900, 10), 3, follower("n3", 40, 10))).isEqualTo(HOLD);
  }

  @Test
  void votersWhoseLinkToTheLeaderBrokeAgreeBeforeTheSilence() {
    // A killed leader's connections close at once: both followers saw their link break 5 ms
    // after their last message from it.
    CampaignDecision.Outcome outcome = CampaignDecision.decide(
        follower("n2", 5, 10).withLinkLost(true), List.of(follower("n3", 5, 10).withLinkLost(true)),
        3, SILENCE, false);
    assertThat(outcome).isEqualTo(new CampaignDecision.Outcome(CAMPAIGN, 2));
  }

  @Test
  void aBrokenLinkOnOneFollowerAloneDoesNotDeposeALeaderTheOthersHear() {
    assertThat(verdict(follower("n2", 5, 10).withLinkLost(true), 3, follower("n3", 40, 10)))
        .isEqualTo(HOLD);
    assertThat(verdict(follower("n2", 5, 10), 3, follower("n3", 40, 10).withLinkLost(true)))
        .as("a follower that still hears the leader and whose link is up").isEqualTo(HOLD);
  }

  @Test
  void holdsWhenNoOtherVoterAnswered() {
    assertThat(verdict(follower("n2", 900, 10), 3)).isEqualTo(HOLD);
  }

  @Test
  void holdsWhenThisMemberHearsTheLeaderAgain() {
    assertThat(verdict(follower("n2", 20, 10), 3, follower("n3", 900, 10))).isEqualTo(HOLD);
  }

  @Test
  void holdsWhenAnElectionIsAlreadyUnderWay() {
    LeaderContact candidate = new LeaderContact("n3", 5, null, false, 0, 4, 10, HOUR);
    assertThat(verdict(follower("n2", 900, 10), 3, candidate)).isEqualTo(HOLD);
  }

  @Test
  void answersAboutAnotherLeaderOrTermDoNotCount() {
    LeaderContact otherLeader = new LeaderContact("n3", 4, "n2", true, 900, 4, 10, HOUR);
    LeaderContact olderTerm = new LeaderContact("n4", 3, "n1", true, 900, 3, 9, HOUR);
    assertThat(verdict(follower("n2", 900, 10), 5, otherLeader, olderTerm)).isEqualTo(HOLD);
  }

  @Test
  void defersToAnAgreeingFollowerWithALongerLog() {
    assertThat(verdict(follower("n2", 900, 10), 3, follower("n3", 900, 11))).isEqualTo(DEFER);
    // Even once it was given its chance: a candidate with a shorter log cannot win.
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(follower("n3", 900, 11)), 3, SILENCE, true).verdict()).isEqualTo(DEFER);
  }

  @Test
  void equalLogsLeaveTheElectionToTheSmallerNameUntilItHadItsChance() {
    assertThat(verdict(follower("n3", 900, 10), 3, follower("n2", 900, 10))).isEqualTo(DEFER);
    assertThat(verdict(follower("n2", 900, 10), 3, follower("n3", 900, 10)))
        .isEqualTo(CAMPAIGN);
    assertThat(CampaignDecision.decide(follower("n3", 900, 10),
        List.of(follower("n2", 900, 10)), 3, SILENCE, true).verdict()).isEqualTo(CAMPAIGN);
  }

  @Test
  void equalLogsLeaveTheElectionToTheFollowerUpLongerWhateverItsName() {
    // n2 restarted 12 s ago, n3 has run for an hour: n3 campaigns, n2 leaves it to n3.
    long restarted = 12_000;
    assertThat(verdict(follower("n2", 900, 10, restarted), 3, follower("n3", 900, 10)))
        .isEqualTo(DEFER);
    assertThat(verdict(follower("n3", 900, 10), 3, follower("n2", 900, 10, restarted)))
        .isEqualTo(CAMPAIGN);
    // Unless n3 did not use its chance.
    assertThat(CampaignDecision.decide(follower("n2", 900, 10, restarted),
        List.of(follower("n3", 900, 10)), 3, SILENCE, true).verdict()).isEqualTo(CAMPAIGN);
    // A longer log still comes first.
    assertThat(verdict(follower("n2", 900, 11, restarted), 3, follower("n3", 900, 10)))
        .isEqualTo(CAMPAIGN);
  }

  @Test
  void uptimesWithinTheMarginCountAsEqualOnBothSides() {
    long up = 5 * HOUR;
    long close = up - CampaignDecision.UPTIME_MARGIN_MS;
    assertThat(verdict(follower("n2", 900, 10, close), 3, follower("n3", 900, 10, up)))
        .isEqualTo(CAMPAIGN);
    assertThat(verdict(follower("n3", 900, 10, up), 3, follower("n2", 900, 10, close)))
        .isEqualTo(DEFER);
    // Members that do not report an uptime (older versions) rank by name among themselves.
    assertThat(verdict(follower("n3", 900, 10, 0), 3, follower("n2", 900, 10, 0)))
        .isEqualTo(DEFER);
  }

  @Test
  void aFollowerThatStillHearsTheLeaderDoesNotMakeItsBetterLogCount() {
    assertThat(verdict(follower("n2", 900, 10), 5, follower("n3", 900, 10),
        follower("n4", 30, 12), follower("n5", 900, 10))).isEqualTo(CAMPAIGN);
  }

  @Test
  void fiveVotersNeedThreeThatLostTheLeader() {
    assertThat(verdict(follower("n2", 900, 10), 5, follower("n3", 900, 9),
        follower("n4", 10, 10), follower("n5", 10, 10))).isEqualTo(HOLD);
    assertThat(verdict(follower("n2", 900, 10), 5, follower("n3", 900, 9),
        follower("n4", 900, 10), follower("n5", 10, 10))).isEqualTo(CAMPAIGN);
  }
}
