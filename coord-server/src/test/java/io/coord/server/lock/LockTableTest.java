package io.coord.server.lock;

import static io.coord.server.lock.LockCommands.acquire;
import static io.coord.server.lock.LockCommands.breakLock;
import static io.coord.server.lock.LockCommands.read;
import static io.coord.server.lock.LockCommands.readWrite;
import static io.coord.server.lock.LockCommands.releaseSession;
import static io.coord.server.lock.LockCommands.releaseToken;
import static io.coord.server.lock.LockCommands.semaphore;
import static io.coord.server.lock.LockCommands.tryAcquire;
import static io.coord.server.lock.LockCommands.withdraw;
import static io.coord.server.lock.LockCommands.write;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.LockInfo;
import io.coord.proto.v1.LockKind;
import io.coord.proto.v1.RangeRequest;
import io.coord.server.command.AcquireLock;
import io.coord.server.command.AcquireResult;
import io.coord.server.command.CommandResult;
import io.coord.server.command.LockEntry;
import io.coord.server.command.LockState;
import io.coord.server.statemachine.StateMachineFixture;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply half of locks, semaphores and read-write locks, through the state machine. */
class LockTableTest {
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

  private AcquireResult acquired(io.coord.server.command.Command command) {
    CommandResult result = fixture.applyOne(command);
    assertThat(result.hasRejection()).as(result.toString()).isFalse();
    return result.hasAcquireLock() ? result.getAcquireLock() : result.getCampaign();
  }

  private ErrorReason refusal(io.coord.server.command.Command command) {
    CommandResult result = fixture.applyOne(command);
    assertThat(result.hasRejection()).as(result.toString()).isTrue();
    return ErrorReason.forNumber(result.getRejection().getReason());
  }

  private Optional<LockState> state(String name) {
    return fixture.stateMachine().read((view, meta) -> LockReader.state(view, LockSpace.LOCK,
        name));
  }

  private List<Long> holders(String name) {
    return state(name).map(s -> s.getHoldersList().stream().map(LockEntry::getSession).toList())
        .orElse(List.of());
  }

  private List<Long> waiters(String name) {
    return state(name).map(s -> s.getWaitersList().stream().map(LockEntry::getSession).toList())
        .orElse(List.of());
  }

  /** The lock's reserved key, if it exists. */
  private Optional<KeyValue> projection(String name) {
    var response = fixture.range(RangeRequest.newBuilder()
        .setKey(ByteString.copyFrom(LockSpace.LOCK.projectionKey(name))).build());
    return response.getKvsList().stream().findFirst();
  }

  private static LockInfo info(KeyValue kv) throws InvalidProtocolBufferException {
    return LockInfo.parseFrom(kv.getValue());
  }

  @Test
  void aGrantAndItsReleaseEachWriteTheLocksKeyAndTokensStrictlyIncrease() throws Exception {
    long s = session();
    AcquireResult first = acquired(acquire("a", s));
    assertThat(first.getOutcome()).isEqualTo(AcquireResult.Outcome.GRANTED);
    long revision = fixture.stateMachine().revision();
    assertThat(first.getEntry().getRevision()).isEqualTo(revision);
    KeyValue key = projection("a").orElseThrow();
    assertThat(key.getModRevision()).isEqualTo(revision);
    assertThat(info(key).getHoldersList()).singleElement().satisfies(h -> {
      assertThat(h.getSession()).isEqualTo(s);
      assertThat(h.getToken()).isEqualTo(first.getEntry().getToken());
    });

    CommandResult release = fixture.applyOne(releaseToken("a", first.getEntry().getToken()));
    assertThat(release.getReleaseLock().getReleased()).isTrue();
    assertThat(projection("a")).isEmpty();
    assertThat(state("a")).as("a free lock leaves no state").isEmpty();

    AcquireResult second = acquired(acquire("a", s));
    assertThat(second.getEntry().getToken()).isGreaterThan(first.getEntry().getToken());
    assertThat(fixture.applyOne(releaseToken("a", first.getEntry().getToken()))
        .getReleaseLock().getReleased()).as("a stale token releases nothing").isFalse();
    assertThat(holders("a")).containsExactly(s);
  }

  @Test
  void waitersAreGrantedInArrivalOrder() {
    long holder = session();
    List<Long> queue = List.of(session(), session(), session());
    long token = acquired(acquire("fifo", holder)).getEntry().getToken();
    for (long s : queue) {
      assertThat(acquired(acquire("fifo", s)).getOutcome())
          .isEqualTo(AcquireResult.Outcome.QUEUED);
    }
    assertThat(waiters("fifo")).containsExactlyElementsOf(queue);
    List<Long> grantedTo = new ArrayList<>();
    for (int i = 0; i < queue.size(); i++) {
      fixture.applyOne(releaseToken("fifo", token));
      LockEntry next = state("fifo").orElseThrow().getHolders(0);
      grantedTo.add(next.getSession());
      assertThat(next.getToken()).isGreaterThan(token);
      token = next.getToken();
    }
    assertThat(grantedTo).containsExactlyElementsOf(queue);
  }

  @Test
  void aSessionAskingAgainGetsTheSameGrantAndOneReleaseFreesIt() {
    long s = session();
    AcquireResult first = acquired(acquire("re", s));
    AcquireResult again = acquired(acquire("re", s));
    assertThat(again.getOutcome()).isEqualTo(AcquireResult.Outcome.GRANTED);
    assertThat(again.getReentrant()).isTrue();
    assertThat(again.getEntry().getToken()).isEqualTo(first.getEntry().getToken());
    fixture.applyOne(releaseToken("re", first.getEntry().getToken()));
    assertThat(state("re")).isEmpty();
  }

  @Test
  void aSessionThatWaitsAndAsksAgainJoinsItsWait() {
    long holder = session();
    long waiter = session();
    acquired(acquire("j", holder));
    AcquireResult queued = acquired(acquire("j", waiter));
    AcquireResult joined = acquired(acquire("j", waiter));
    assertThat(joined.getOutcome()).isEqualTo(AcquireResult.Outcome.QUEUED);
    assertThat(joined.getEntry().getWaiterId()).isEqualTo(queued.getEntry().getWaiterId());
    assertThat(waiters("j")).containsExactly(waiter);
  }

  @Test
  void tryAcquireOfAHeldLockIsRefusedWithoutQueuingAndChangesNothing() {
    long holder = session();
    long other = session();
    acquired(acquire("t", holder));
    long revision = fixture.stateMachine().revision();
    AcquireResult busy = acquired(tryAcquire("t", other));
    assertThat(busy.getOutcome()).isEqualTo(AcquireResult.Outcome.BUSY);
    assertThat(busy.getCurrent().getHoldersList()).singleElement()
        .satisfies(h -> assertThat(h.getSession()).isEqualTo(holder));
    assertThat(waiters("t")).isEmpty();
    assertThat(fixture.stateMachine().revision()).isEqualTo(revision);
    assertThat(acquired(tryAcquire("free", other)).getOutcome())
        .isEqualTo(AcquireResult.Outcome.GRANTED);
  }

  @Test
  void withdrawingAWaiterRemovesItButNeverReleasesAGrantItGotFirst() {
    long holder = session();
    long a = session();
    long b = session();
    AcquireResult held = acquired(acquire("w", holder));
    AcquireResult first = acquired(acquire("w", a));
    acquired(acquire("w", b));
    var withdrawn = fixture.applyOne(withdraw("w", first.getEntry().getWaiterId()))
        .getReleaseLock();
    assertThat(withdrawn.getWithdrawn()).isTrue();
    assertThat(withdrawn.getReleased()).isFalse();
    assertThat(waiters("w")).containsExactly(b);
    // A retry of the same request elsewhere may have returned this grant: it stays, and the
    // withdrawal says so.
    var kept = fixture.applyOne(withdraw("w", held.getEntry().getWaiterId())).getReleaseLock();
    assertThat(kept.getReleased()).isFalse();
    assertThat(kept.getWithdrawn()).isFalse();
    assertThat(kept.getHolder().getToken()).isEqualTo(held.getEntry().getToken());
    assertThat(kept.getSessionAlive()).isTrue();
    assertThat(holders("w")).containsExactly(holder);
    assertThat(fixture.applyOne(withdraw("w", first.getEntry().getWaiterId())).getReleaseLock())
        .as("withdrawing twice changes nothing")
        .satisfies(r -> assertThat(r.getReleased() || r.getWithdrawn() || r.hasHolder())
            .isFalse());
  }

  @Test
  void aSessionEndReleasesItsGrantsAndWithdrawsItsWaitsInTheRevisionOfItsEnd() throws Exception {
    long leaving = session();
    long next = session();
    long holderOfB = session();
    acquired(acquire("a", leaving));
    acquired(acquire("b", holderOfB));
    acquired(acquire("b", leaving));
    acquired(acquire("a", next));
    fixture.applyOne(StateMachineFixture.put("attached", "x", leaving));

    CommandResult end = fixture.applyOne(StateMachineFixture.revoke(leaving));
    long revision = end.getRevokeSession().getHeader().getRevision();
    assertThat(holders("a")).containsExactly(next);
    LockEntry grant = state("a").orElseThrow().getHolders(0);
    assertThat(grant.getRevision()).as("granted in the revision of the end").isEqualTo(revision);
    assertThat(projection("a").orElseThrow().getModRevision()).isEqualTo(revision);
    assertThat(waiters("b")).isEmpty();
    assertThat(info(projection("b").orElseThrow()).getWaiterCount()).isZero();
    assertThat(projection("b").orElseThrow().getModRevision()).isEqualTo(revision);
    assertThat(fixture.get("attached").getKvsList()).isEmpty();
    assertThat(fixture.stateMachine().revision()).isEqualTo(revision);
  }

  @Test
  void anEndedSessionCanNeitherAcquireNorBeGranted() {
    long gone = session();
    fixture.applyOne(StateMachineFixture.revoke(gone));
    assertThat(refusal(acquire("x", gone))).isEqualTo(ErrorReason.SESSION_NOT_FOUND);
    assertThat(state("x")).isEmpty();
  }

  @Test
  void aSemaphoreGrantsItsPermitsEachWithItsOwnTokenAndRefusesAMismatch() {
    long a = session();
    long b = session();
    long c = session();
    long ta = acquired(semaphore("sem", a, 2)).getEntry().getToken();
    long tb = acquired(semaphore("sem", b, 2)).getEntry().getToken();
    assertThat(tb).isGreaterThan(ta);
    assertThat(acquired(semaphore("sem", c, 2)).getOutcome())
        .isEqualTo(AcquireResult.Outcome.QUEUED);
    assertThat(refusal(semaphore("sem", session(), 3))).isEqualTo(ErrorReason.LOCK_MISMATCH);
    assertThat(refusal(acquire("sem", session()))).isEqualTo(ErrorReason.LOCK_MISMATCH);
    fixture.applyOne(releaseToken("sem", ta));
    assertThat(holders("sem")).containsExactly(b, c);
    assertThat(state("sem").orElseThrow().getHolders(1).getToken()).isGreaterThan(tb);
  }

  @Test
  void readersShareAndReadersArrivingAfterAWaitingWriterQueueBehindIt() {
    long r1 = session();
    long r2 = session();
    long w = session();
    long r3 = session();
    acquired(readWrite("rw", r1, read()));
    acquired(readWrite("rw", r2, read()));
    assertThat(holders("rw")).containsExactly(r1, r2);
    assertThat(acquired(readWrite("rw", w, write())).getOutcome())
        .isEqualTo(AcquireResult.Outcome.QUEUED);
    assertThat(acquired(readWrite("rw", r3, read())).getOutcome())
        .as("no writer starvation").isEqualTo(AcquireResult.Outcome.QUEUED);
    fixture.applyOne(releaseSession("rw", r1));
    assertThat(holders("rw")).containsExactly(r2);
    fixture.applyOne(releaseSession("rw", r2));
    assertThat(holders("rw")).containsExactly(w);
    fixture.applyOne(releaseSession("rw", w));
    assertThat(holders("rw")).containsExactly(r3);
  }

  @Test
  void readersQueuedBehindAWriterAreGrantedTogetherWithDistinctTokens() {
    long w = session();
    List<Long> readers = List.of(session(), session(), session());
    long writerToken = acquired(readWrite("batch", w, write())).getEntry().getToken();
    readers.forEach(r -> acquired(readWrite("batch", r, read())));
    long w2 = session();
    acquired(readWrite("batch", w2, write()));
    fixture.applyOne(releaseToken("batch", writerToken));
    LockState state = state("batch").orElseThrow();
    assertThat(holders("batch")).containsExactlyElementsOf(readers);
    assertThat(waiters("batch")).containsExactly(w2);
    List<Long> tokens = state.getHoldersList().stream().map(LockEntry::getToken).toList();
    assertThat(tokens).doesNotHaveDuplicates().allMatch(t -> t > writerToken);
    assertThat(state.getHoldersList().stream().map(LockEntry::getRevision).distinct())
        .as("one revision").hasSize(1);
  }

  @Test
  void withdrawingAWriterAtTheHeadLetsTheReadersBehindItIn() {
    long r1 = session();
    long w = session();
    long r2 = session();
    acquired(readWrite("head", r1, read()));
    long writerWait = acquired(readWrite("head", w, write())).getEntry().getWaiterId();
    acquired(readWrite("head", r2, read()));
    fixture.applyOne(withdraw("head", writerWait));
    assertThat(holders("head")).containsExactly(r1, r2);
  }

  @Test
  void aSessionCannotSwitchModeWhileItHoldsOrWaits() {
    long r = session();
    acquired(readWrite("m", r, read()));
    assertThat(refusal(readWrite("m", r, write()))).isEqualTo(ErrorReason.LOCK_MISMATCH);
  }

  @Test
  void breakingReleasesEveryGrantGrantsTheNextAndRecordsWhy() {
    long a = session();
    long b = session();
    long token = acquired(acquire("br", a)).getEntry().getToken();
    acquired(acquire("br", b));
    CommandResult broken = fixture.applyOne(breakLock("br", "holder is stuck"));
    assertThat(broken.getBreakLock().getReleasedList()).singleElement()
        .satisfies(h -> assertThat(h.getToken()).isEqualTo(token));
    assertThat(holders("br")).containsExactly(b);
    var record = fixture.stateMachine().read((view, meta) ->
        LockReader.lastBreak(view, LockSpace.LOCK, "br")).orElseThrow();
    assertThat(record.getReason()).isEqualTo("holder is stuck");
    assertThat(record.getRevision()).isEqualTo(fixture.stateMachine().revision());
  }

  @Test
  void eventsTellGrantsAndEndsAfterCommit() {
    List<String> told = new ArrayList<>();
    fixture.locks().setEvents(new LockEvents() {
      @Override
      public void granted(LockSpace space, long waiterId, LockEntry grant) {
        told.add("granted " + waiterId + " token " + grant.getToken());
      }

      @Override
      public void ended(LockSpace space, long waiterId) {
        told.add("ended " + waiterId);
      }
    });
    long a = session();
    long b = session();
    LockEntry held = acquired(acquire("ev", a)).getEntry();
    LockEntry queued = acquired(acquire("ev", b)).getEntry();
    told.clear();
    fixture.applyOne(releaseToken("ev", held.getToken()));
    LockEntry granted = state("ev").orElseThrow().getHolders(0);
    assertThat(told).containsExactly("ended " + held.getWaiterId(),
        "granted " + queued.getWaiterId() + " token " + granted.getToken());
    told.clear();
    // A refused command tells nothing.
    refusal(acquire(AcquireLock.newBuilder().setName("ev").setSession(a)
        .setKind(LockKind.SEMAPHORE).setPermits(2)));
    assertThat(told).isEmpty();
  }
}
