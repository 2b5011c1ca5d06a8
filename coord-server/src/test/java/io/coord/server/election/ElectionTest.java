package io.coord.server.election;

import static io.coord.server.lock.LockCommands.campaign;
import static io.coord.server.lock.LockCommands.proclaim;
import static io.coord.server.lock.LockCommands.resign;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.Fence;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.Leadership;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RangeRequest;
import io.coord.server.command.AcquireResult;
import io.coord.server.command.Command;
import io.coord.server.lock.LockCommands;
import io.coord.server.lock.LockSpace;
import io.coord.server.statemachine.StateMachineFixture;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Elections in apply: terms, values, resignations, and the leader's reserved key. */
class ElectionTest {
  @TempDir
  Path dir;
  private StateMachineFixture fixture;

  @BeforeEach
  void open() {
    fixture = new StateMachineFixture(dir);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private long session() {
    return fixture.applyOne(StateMachineFixture.grant(10_000)).getGrantSession().getId();
  }

  private Optional<KeyValue> leaderKey(String name) {
    return fixture.range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFrom(LockSpace.ELECTION.projectionKey(name))).build())
        .getKvsList().stream().findFirst();
  }

  private Leadership leader(String name) throws Exception {
    return Leadership.parseFrom(leaderKey(name).orElseThrow().getValue());
  }

  @Test
  void campaignersLeadInTurnEachWithAHigherTermAndTheKeyChangesOnlyWithTheLeader()
      throws Exception {
    long a = session();
    long b = session();
    AcquireResult first = fixture.applyOne(campaign("e", a, "host-a")).getCampaign();
    assertThat(first.getOutcome()).isEqualTo(AcquireResult.Outcome.GRANTED);
    Leadership lead = leader("e");
    assertThat(lead.getValue().toStringUtf8()).isEqualTo("host-a");
    assertThat(lead.getTerm()).isEqualTo(first.getEntry().getToken());
    long keyRevision = leaderKey("e").orElseThrow().getModRevision();

    assertThat(fixture.applyOne(campaign("e", b, "host-b")).getCampaign().getOutcome())
        .isEqualTo(AcquireResult.Outcome.QUEUED);
    assertThat(leaderKey("e").orElseThrow().getModRevision())
        .as("a campaigner joining the queue is not a change of leader").isEqualTo(keyRevision);

    var proclaimed = fixture.applyOne(proclaim("e", lead.getTerm(), "host-a:2")).getProclaim();
    assertThat(proclaimed.getTerm()).isEqualTo(lead.getTerm());
    assertThat(leader("e").getValue().toStringUtf8()).isEqualTo("host-a:2");
    assertThat(fixture.applyOne(proclaim("e", lead.getTerm() + 99, "x")).getRejection()
        .getReason()).isEqualTo(ErrorReason.NOT_ELECTION_LEADER_VALUE);

    assertThat(fixture.applyOne(resign("e", lead.getTerm())).getResign().getReleased()).isTrue();
    Leadership next = leader("e");
    assertThat(next.getSession()).isEqualTo(b);
    assertThat(next.getValue().toStringUtf8()).isEqualTo("host-b");
    assertThat(next.getTerm()).isGreaterThan(lead.getTerm());

    fixture.applyOne(StateMachineFixture.revoke(b));
    assertThat(leaderKey("e")).as("no leader: the key is deleted").isEmpty();
  }

  @Test
  void electionsAndLocksOfTheSameNameAreSeparateAndTermsFenceWrites() {
    long a = session();
    long b = session();
    long term = fixture.applyOne(campaign("same", a, "v")).getCampaign().getEntry().getToken();
    assertThat(fixture.applyOne(LockCommands.acquire("same", b)).getAcquireLock().getOutcome())
        .isEqualTo(AcquireResult.Outcome.GRANTED);
    Command guarded = Command.newBuilder().setPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8("k")).setValue(ByteString.copyFromUtf8("v"))
        .setGuard(Fence.newBuilder().setElection("same").setToken(term))).build();
    assertThat(fixture.applyOne(guarded).hasRejection()).isFalse();
    fixture.applyOne(resign("same", term));
    assertThat(fixture.applyOne(guarded).getRejection().getReason())
        .isEqualTo(ErrorReason.FENCING_TOKEN_STALE_VALUE);
  }
}
