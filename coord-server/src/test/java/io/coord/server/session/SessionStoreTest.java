package io.coord.server.session;

import static io.coord.server.statemachine.StateMachineFixture.expire;
import static io.coord.server.statemachine.StateMachineFixture.grant;
import static io.coord.server.statemachine.StateMachineFixture.put;
import static io.coord.server.statemachine.StateMachineFixture.revoke;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.coord.proto.v1.EndedSession;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.PutRequest;
import io.coord.proto.v1.RangeRequest;
import io.coord.proto.v1.RequestOp;
import io.coord.proto.v1.SessionEndReason;
import io.coord.proto.v1.TxnRequest;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.SessionRecord;
import io.coord.server.statemachine.StateMachineFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionStoreTest {
  @TempDir
  Path dir;
  private StateMachineFixture sm;

  @BeforeEach
  void open() {
    sm = new StateMachineFixture(dir);
  }

  @AfterEach
  void close() {
    sm.close();
  }

  private long granted(long ttlMs) {
    return sm.applyOne(grant(ttlMs)).getGrantSession().getId();
  }

  private SessionRecord record(long id) {
    return sm.stateMachine().read((view, meta) -> SessionReader.live(view, id)).orElseThrow();
  }

  private List<EndedSession> ended() {
    return sm.stateMachine().read((view, meta) -> SessionReader.ended(view));
  }

  private List<KeyValue> prefix(String prefix, long revision) {
    return sm.range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(prefix))
        .setRangeEnd(ByteString.copyFromUtf8(prefix.substring(0, prefix.length() - 1)
            + (char) (prefix.charAt(prefix.length() - 1) + 1)))
        .setRevision(revision).build()).getKvsList();
  }

  @Test
  void grantsGetIncreasingIdsAndKeepTheirTtl() {
    CommandResult first = sm.applyOne(grant(6000));
    long second = granted(9000);
    assertThat(first.getGrantSession().getId()).isEqualTo(1);
    assertThat(first.getGrantSession().getTtl()).isEqualTo(6);
    assertThat(second).isEqualTo(2);
    assertThat(record(2).getTtlMs()).isEqualTo(9000);
    assertThat(record(2).getGrantedAtMs()).isPositive();
    // A grant creates no revision: no key changed.
    assertThat(first.getRevision()).isEqualTo(1);
  }

  @Test
  void revokingDeletesEveryAttachedKeyInOneRevisionAndRecordsWhy() {
    long id = granted(6000);
    long other = granted(6000);
    sm.apply(put("eph/a", "1", id), put("eph/b", "2", id), put("eph/c", "3", id),
        put("eph/other", "4", other), put("eph/plain", "5"));
    // Re-put without a session detaches; re-put into another session moves it.
    sm.apply(put("eph/b", "2'"), put("eph/c", "3'", other));
    sm.apply(put("eph/d", "6", id));
    assertThat(record(id).getKeyCount()).isEqualTo(2);
    assertThat(record(other).getKeyCount()).isEqualTo(2);
    long before = sm.stateMachine().revision();

    CommandResult revoked = sm.applyOne(revoke(id));

    long revision = revoked.getRevokeSession().getHeader().getRevision();
    assertThat(revision).isEqualTo(before + 1);
    assertThat(revoked.getRevokeSession().getKeysDeleted()).isEqualTo(2);
    assertThat(prefix("eph/", before).stream().map(kv -> kv.getKey().toStringUtf8()))
        .containsExactly("eph/a", "eph/b", "eph/c", "eph/d", "eph/other", "eph/plain");
    assertThat(prefix("eph/", revision).stream().map(kv -> kv.getKey().toStringUtf8()))
        .containsExactly("eph/b", "eph/c", "eph/other", "eph/plain");
    EndedSession end = ended().get(0);
    assertThat(end.getId()).isEqualTo(id);
    assertThat(end.getReason()).isEqualTo(SessionEndReason.REVOKED);
    assertThat(end.getRevision()).isEqualTo(revision);
    assertThat(end.getKeysDeleted()).isEqualTo(2);
    assertThat(end.getTtl()).isEqualTo(6);
    assertThat(end.getEndedAtMs()).isGreaterThanOrEqualTo(end.getGrantedAtMs());
    java.util.Optional<SessionRecord> live =
        sm.stateMachine().read((view, meta) -> SessionReader.live(view, id));
    List<byte[]> keys = sm.stateMachine().read((view, meta) -> SessionReader.keys(view, id));
    assertThat(live).isEmpty();
    assertThat(keys).isEmpty();
  }

  @Test
  void attachingToAnUnknownOrEndedSessionFailsAndSaysWhy() {
    CommandResult unknown = sm.applyOne(put("k", "v", 42));
    assertThat(unknown.getRejection().getReason())
        .isEqualTo(ErrorReason.SESSION_NOT_FOUND.getNumber());
    assertThat(unknown.getRejection().getMessage())
        .contains("session 42 not found", "never granted");
    assertThat(unknown.getRejection().getMetadataMap()).containsEntry("session", "42");

    long id = granted(6000);
    sm.applyOne(revoke(id));
    CommandResult ended = sm.applyOne(put("k", "v", id));
    assertThat(ended.getRejection().getMessage()).contains("ended (REVOKED) at revision");
    assertThat(ended.getRejection().getMetadataMap()).containsEntry("end_reason", "REVOKED");
    assertThat(sm.get("k").getKvsList()).isEmpty();

    CommandResult revokedTwice = sm.applyOne(revoke(id));
    assertThat(revokedTwice.getRejection().getReason())
        .isEqualTo(ErrorReason.SESSION_NOT_FOUND.getNumber());
  }

  @Test
  void aTransactionCanAttachKeys() {
    long id = granted(6000);
    sm.applyOne(Command.newBuilder().setTxn(TxnRequest.newBuilder()
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("t/1")).setSession(id)))
        .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder()
            .setKey(ByteString.copyFromUtf8("t/2")).setSession(id)))).build());
    assertThat(record(id).getKeyCount()).isEqualTo(2);
    sm.applyOne(revoke(id));
    assertThat(prefix("t/", 0)).isEmpty();
  }

  @Test
  void anExpiryProposedInAnotherTermIsIgnored() {
    long id = granted(6000);
    sm.apply(put("e/1", "x", id));
    sm.setTerm(2);
    CommandResult stale = sm.applyOne(expire(1, id));
    assertThat(stale.getExpireSessions().getStale()).isTrue();
    assertThat(record(id).getKeyCount()).isEqualTo(1);

    CommandResult expired = sm.applyOne(expire(2, id, 999));
    assertThat(expired.getExpireSessions().getStale()).isFalse();
    assertThat(expired.getExpireSessions().getExpiredList()).containsExactly(id);
    assertThat(ended().get(0).getReason()).isEqualTo(SessionEndReason.TTL_EXPIRED);
    assertThat(prefix("e/", 0)).isEmpty();
  }

  @Test
  void eachExpiredSessionGetsItsOwnRevision() {
    long a = granted(6000);
    long b = granted(6000);
    sm.apply(put("x/a", "1", a), put("x/b", "1", b));
    long before = sm.stateMachine().revision();
    sm.applyOne(expire(1, a, b));
    List<EndedSession> ends = ended();
    assertThat(ends).extracting(EndedSession::getId).containsExactly(b, a);
    assertThat(ends).extracting(EndedSession::getRevision).containsExactly(before + 2, before + 1);
  }

  @Test
  void onlyTheMostRecentEndsAreKept() {
    int total = SessionStore.ENDS_KEPT + 5;
    for (int i = 0; i < total; i++) {
      long id = granted(6000);
      sm.applyOne(revoke(id));
    }
    List<EndedSession> ends = ended();
    assertThat(ends).hasSize(SessionStore.ENDS_KEPT);
    assertThat(ends.get(0).getId()).isEqualTo(total);
    assertThat(ends.get(ends.size() - 1).getId()).isEqualTo(6);
  }

  @Test
  void endListenersChangeKeysInTheRevisionOfTheEnd() {
    sm.sessions().addEndListener((context, writer, sessionId, reason) -> {
      byte[] key = ("released/" + sessionId).getBytes();
      writer.put(key, ByteString.copyFromUtf8(reason.name()), 0, writer.current(key));
    });
    long id = granted(6000);
    sm.apply(put("held/" + id, "x", id));
    long revision = sm.applyOne(revoke(id)).getRevokeSession().getHeader().getRevision();
    KeyValue released = sm.get("released/" + id).getKvs(0);
    assertThat(released.getModRevision()).isEqualTo(revision);
    assertThat(released.getValue().toStringUtf8()).isEqualTo("REVOKED");
  }
}
