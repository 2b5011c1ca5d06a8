package io.coord.server.cluster;

import static io.coord.server.cluster.CampaignDecision.Verdict.CAMPAIGN;
import static io.coord.server.cluster.CampaignDecision.Verdict.DEFER;
import static io.coord.server.cluster.CampaignDecision.Verdict.HOLD;
import static org.assertj.core.api.Assertions.assertThat;

import io.coord.server.raft.LeaderContact;
import java.util.List;
import org.junit.jupiter.api.Test;

class CampaignDecisionTest {
  private static final long SILENCE = 300;

  /** A voting follower of n1 in term 4, silent for {@code silenceMs}, log ending at 4/index. */
  private static LeaderContact follower(String name, long silenceMs, long index) {
    return new LeaderContact(name, 4, "n1", true, silenceMs, 4, index);
  }

  @Test
  void campaignsWhenAMajorityNoLongerHearsTheLeader() {
    assertThat(CampaignDecision.decide(follower("n2", 320, 10),
        List.of(follower("n3", 310, 10)), 3, SILENCE, false)).isEqualTo(CAMPAIGN);
  }

  @Test
  void holdsWhenTheOtherFollowerStillHearsTheLeader() {
    // A follower cut off from the leader alone must not depose a leader the others still hear.
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(follower("n3", 40, 10)), 3, SILENCE, false)).isEqualTo(HOLD);
  }

  @Test
  void holdsWhenNoOtherVoterAnswered() {
    assertThat(CampaignDecision.decide(follower("n2", 900, 10), List.of(), 3, SILENCE, false))
        .isEqualTo(HOLD);
  }

  @Test
  void holdsWhenThisMemberHearsTheLeaderAgain() {
    assertThat(CampaignDecision.decide(follower("n2", 20, 10),
        List.of(follower("n3", 900, 10)), 3, SILENCE, false)).isEqualTo(HOLD);
  }

  @Test
  void holdsWhenAnElectionIsAlreadyUnderWay() {
    LeaderContact candidate = new LeaderContact("n3", 5, null, false, 0, 4, 10);
    assertThat(CampaignDecision.decide(follower("n2", 900, 10), List.of(candidate), 3,
        SILENCE, false)).isEqualTo(HOLD);
  }

  @Test
  void answersAboutAnotherLeaderOrTermDoNotCount() {
    LeaderContact otherLeader = new LeaderContact("n3", 4, "n2", true, 900, 4, 10);
    LeaderContact olderTerm = new LeaderContact("n4", 3, "n1", true, 900, 3, 9);
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(otherLeader, olderTerm), 5, SILENCE, false)).isEqualTo(HOLD);
  }

  @Test
  void defersToAnAgreeingFollowerWithALongerLog() {
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(follower("n3", 900, 11)), 3, SILENCE, false)).isEqualTo(DEFER);
    // Even once it was given its chance: a candidate with a shorter log cannot win.
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(follower("n3", 900, 11)), 3, SILENCE, true)).isEqualTo(DEFER);
  }

  @Test
  void equalLogsLeaveTheElectionToTheSmallerNameUntilItHadItsChance() {
    assertThat(CampaignDecision.decide(follower("n3", 900, 10),
        List.of(follower("n2", 900, 10)), 3, SILENCE, false)).isEqualTo(DEFER);
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(follower("n3", 900, 10)), 3, SILENCE, false)).isEqualTo(CAMPAIGN);
    assertThat(CampaignDecision.decide(follower("n3", 900, 10),
        List.of(follower("n2", 900, 10)), 3, SILENCE, true)).isEqualTo(CAMPAIGN);
  }

  @Test
  void aFollowerThatStillHearsTheLeaderDoesNotMakeItsBetterLogCount() {
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(follower("n3", 900, 10), follower("n4", 30, 12), follower("n5", 900, 10)), 5,
        SILENCE, false))
        .isEqualTo(CAMPAIGN);
  }

  @Test
  void fiveVotersNeedThreeThatLostTheLeader() {
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(follower("n3", 900, 9), follower("n4", 10, 10), follower("n5", 10, 10)), 5,
        SILENCE, false)).isEqualTo(HOLD);
    assertThat(CampaignDecision.decide(follower("n2", 900, 10),
        List.of(follower("n3", 900, 9), follower("n4", 900, 10), follower("n5", 10, 10)), 5,
        SILENCE, false)).isEqualTo(CAMPAIGN);
  }
}
