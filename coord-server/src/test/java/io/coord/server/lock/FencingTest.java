package io.coord.server.lock;

import static io.coord.server.lock.LockCommands.acquire;
import static io.coord.server.lock.LockCommands.lockFence;
import static io.coord.server.lock.LockCommands.releaseToken;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.Compare;
import io.coord.proto.v1.DeleteRangeRequest;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.Fence;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.TxnRequest;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.statemachine.StateMachineFixture;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes guarded by fencing tokens, and the HELD and SESSION_ALIVE compares, in apply. */
class FencingTest {
  @TempDir
  Path dir;
  private StateMachineFixture fixture;
  private long session;
  private long token;

  @BeforeEach
  void open() {
    fixture = new StateMachineFixture(dir);
    session = fixture.applyOne(StateMachineFixture.grant(10_000)).getGrantSession().getId();
    token = fixture.applyOne(acquire("guard", session)).getAcquireLock().getEntry().getToken();
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  private static Command put(String key, String value, Fence guard) {
    return Command.newBuilder().setPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))
        .setGuard(guard)).build();
  }

  private static Command txn(TxnRequest.Builder txn) {
    return Command.newBuilder().setTxn(txn).build();
  }

  private static RequestOp putOp(String key, String value) {
    return RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
        .setKey(ByteString.copyFromUtf8(key)).setValue(ByteString.copyFromUtf8(value))).build();
  }

  private String value(String key) {
    return fixture.get(key).getKvsList().stream().findFirst()
        .map(kv -> kv.getValue().toStringUtf8()).orElse(null);
  }

  @Test
  void aGuardedWriteIsAppliedWhileItsTokenIsCurrentAndRefusedAfter() {
    assertThat(fixture.applyOne(put("data", "v1", lockFence("guard", token))).hasRejection())
        .isFalse();
    fixture.applyOne(releaseToken("guard", token));
    long other = fixture.applyOne(StateMachineFixture.grant(10_000)).getGrantSession().getId();
    long newer = fixture.applyOne(acquire("guard", other)).getAcquireLock().getEntry()
        .getToken();
    long revision = fixture.stateMachine().revision();

    CommandResult stale = fixture.applyOne(put("data", "v2", lockFence("guard", token)));
    assertThat(stale.getRejection().getReason())
        .isEqualTo(ErrorReason.FENCING_TOKEN_STALE_VALUE);
    assertThat(stale.getRejection().getMetadataMap()).containsEntry("lock", "guard")
        .containsEntry("token", Long.toString(token))
        .containsEntry("current_tokens", Long.toString(newer));
    assertThat(value("data")).isEqualTo("v1");
    assertThat(fixture.stateMachine().revision()).isEqualTo(revision);
    assertThat(fixture.applyOne(put("data", "v3", lockFence("guard", newer))).hasRejection())
        .isFalse();
  }

  @Test
  void aHolderWhoseSessionEndedIsFencedOff() {
    fixture.applyOne(StateMachineFixture.revoke(session));
    assertThat(fixture.applyOne(put("data", "late", lockFence("guard", token)))
        .getRejection().getReason()).isEqualTo(ErrorReason.FENCING_TOKEN_STALE_VALUE);
    assertThat(value("data")).isNull();
  }

  @Test
  void deletesAndTransactionsAreGuardedTooAndAStaleGuardInsideATxnFailsAllOfIt() {
    fixture.applyOne(StateMachineFixture.put("a", "1"));
    Fence stale = lockFence("guard", token + 1000);
    assertThat(fixture.applyOne(Command.newBuilder().setDeleteRange(DeleteRangeRequest
        .newBuilder().setKey(ByteString.copyFromUtf8("a")).setGuard(stale)).build())
        .hasRejection()).isTrue();
    assertThat(fixture.applyOne(txn(TxnRequest.newBuilder().setGuard(stale)
        .addSuccess(putOp("b", "1")))).hasRejection()).isTrue();
    CommandResult nested = fixture.applyOne(txn(TxnRequest.newBuilder()
        .addSuccess(putOp("c", "1"))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("d")).setValue(ByteString.copyFromUtf8("1"))
            .setGuard(stale)))));
    assertThat(nested.getRejection().getReason())
        .isEqualTo(ErrorReason.FENCING_TOKEN_STALE_VALUE);
    assertThat(value("a")).isEqualTo("1");
    assertThat(value("b")).isNull();
    assertThat(value("c")).as("nothing of the txn was applied").isNull();
    assertThat(fixture.applyOne(txn(TxnRequest.newBuilder()
        .setGuard(lockFence("guard", token)).addSuccess(putOp("b", "2")))).hasRejection())
        .isFalse();
    assertThat(value("b")).isEqualTo("2");
  }

  @Test
  void compareHeldAndSessionAliveTestTheGrantAndTheSession() {
    Compare held = Compare.newBuilder().setTarget(Compare.CompareTarget.HELD)
        .setResult(Compare.CompareResult.EQUAL).setHeld(lockFence("guard", token)).build();
    Compare alive = Compare.newBuilder().setTarget(Compare.CompareTarget.SESSION_ALIVE)
        .setResult(Compare.CompareResult.EQUAL).setSession(session).build();
    TxnRequest.Builder both = TxnRequest.newBuilder().addCompare(held).addCompare(alive);
    assertThat(fixture.applyOne(txn(both)).getTxn().getSucceeded()).isTrue();

    fixture.applyOne(StateMachineFixture.revoke(session));
    assertThat(fixture.applyOne(txn(TxnRequest.newBuilder().addCompare(held))).getTxn()
        .getSucceeded()).isFalse();
    assertThat(fixture.applyOne(txn(TxnRequest.newBuilder().addCompare(alive))).getTxn()
        .getSucceeded()).isFalse();
    assertThat(fixture.applyOne(txn(TxnRequest.newBuilder().addCompare(alive.toBuilder()
        .setResult(Compare.CompareResult.NOT_EQUAL)))).getTxn().getSucceeded()).isTrue();
    assertThat(fixture.applyOne(txn(TxnRequest.newBuilder().addCompare(held.toBuilder()
        .setResult(Compare.CompareResult.NOT_EQUAL)))).getTxn().getSucceeded()).isTrue();
  }
}
