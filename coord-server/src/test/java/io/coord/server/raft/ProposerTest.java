package io.coord.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.EntryResult;
import io.coord.server.command.LogEntry;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.api.AsyncApi;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.junit.jupiter.api.Test;

/**
 * The proposer with a fake Ratis client (whose forwarded entries never complete, as when they
 * wait out the client's timeout while leadership moves) and a fake local leader.
 */
class ProposerTest {
  private final AtomicBoolean leading = new AtomicBoolean();
  private final AtomicBoolean electing = new AtomicBoolean();
  private long maxHoldMs = 60_000;
  private final List<byte[]> forwarded = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Integer> appendedLocally = new ArrayList<>();
  /** The leader this member knows; each new client is aimed at it (as RaftNode's are). */
  private volatile String knownLeader = "n2";
  /** Per client made: the leader it aims at, the entries sent through it, whether closed. */
  private final List<String> clientAims = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<List<byte[]>> sentPerClient =
      new java.util.concurrent.CopyOnWriteArrayList<>();
  private final List<Boolean> closedPerClient = new java.util.concurrent.CopyOnWriteArrayList<>();

  private Proposer proposer(int maxInflight) {
    return new Proposer(this::stuckClient, this::appendLocally, leading::get, electing::get,
        () -> knownLeader, java.time.Duration.ofMillis(maxHoldMs), 1, 1 << 20, maxInflight,
        Runnable::run);
  }

  @Test
  void afterALeaderChangeAnIdleClientAimedAtTheOldLeaderIsReplaced() throws Exception {
    Proposer proposer = proposer(2);
    assertThat(clientAims).containsExactly("n2");

    knownLeader = "n3";
    proposer.propose(command(1));

    assertThat(clientAims).as("a client aimed at the new leader").containsExactly("n2", "n3");
    assertThat(sentPerClient.get(0)).isEmpty();
    assertThat(sentPerClient.get(1)).hasSize(1);
    assertThat(closedPerClient.get(0)).as("the replaced client is closed").isTrue();
    proposer.propose(command(2));
    assertThat(clientAims).as("aimed right already").hasSize(2);
    assertThat(sentPerClient.get(1)).hasSize(2);
  }

  @Test
  void aClientCarryingForwardedEntriesIsKeptThroughALeaderChange() throws Exception {
    Proposer proposer = proposer(2);
    proposer.propose(command(1));

    knownLeader = "n3";
    proposer.propose(command(2));

    assertThat(clientAims).as("its entry in flight rides the same client").containsExactly("n2");
    assertThat(sentPerClient.get(0)).hasSize(2);
    assertThat(closedPerClient.get(0)).isFalse();
  }

  @Test
  void entriesForwardedBeforeTheElectionDoNotHoldBackWhatTheNewLeaderAppends() throws Exception {
    Proposer proposer = proposer(2);
    CompletableFuture<CommandResult> first = proposer.propose(command(1));
    CompletableFuture<CommandResult> second = proposer.propose(command(2));
    CompletableFuture<CommandResult> third = proposer.propose(command(3));
    assertThat(forwarded).as("forwarded while another member led").hasSize(2);
    assertThat(third).as("waits: two forwarded entries in flight").isNotDone();

    leading.set(true);
    proposer.leaderReady();

    assertThat(third.get(5, TimeUnit.SECONDS).getRevision()).isEqualTo(3);
    assertThat(appendedLocally).containsExactly(1);
    assertThat(first).isNotDone();
    assertThat(second).isNotDone();
    CompletableFuture<CommandResult> fourth = proposer.propose(command(4));
    assertThat(fourth.get(5, TimeUnit.SECONDS).getRevision()).isEqualTo(4);
  }

  @Test
  void theLeaderStillBatchesOnceItsOwnEntriesFillTheWindow() throws Exception {
    leading.set(true);
    pendingLocal = new ArrayList<>();
    Proposer proposer = proposer(1);
    CompletableFuture<CommandResult> first = proposer.propose(command(1));
    CompletableFuture<CommandResult> second = proposer.propose(command(2));
    assertThat(appendedLocally).as("one entry in flight at a time").containsExactly(1);
    assertThat(second).isNotDone();
    pendingLocal.remove(0).run();
    assertThat(first.get(5, TimeUnit.SECONDS).getRevision()).isEqualTo(1);
    pendingLocal.remove(0).run();
    assertThat(second.get(5, TimeUnit.SECONDS).getRevision()).isEqualTo(2);
  }

  @Test
  void anEntryTheLeaderCouldNotAppendNoLongerHoldsItsWindowWhileForwarded() throws Exception {
    leading.set(true);
    notLeaderReplies = 1;
    Proposer proposer = proposer(1);
    CompletableFuture<CommandResult> first = proposer.propose(command(1));
    assertThat(forwarded).as("the leader stepped down under it: forwarded").hasSize(1);
    CompletableFuture<CommandResult> second = proposer.propose(command(2));
    assertThat(second.get(5, TimeUnit.SECONDS).getRevision()).isEqualTo(2);
    assertThat(first).isNotDone();
  }

  @Test
  void commandsWaitOutAnElectionAndGoLocallyOnceThisMemberIsReady() throws Exception {
    electing.set(true);
    Proposer proposer = proposer(2);
    CompletableFuture<CommandResult> first = proposer.propose(command(1));
    CompletableFuture<CommandResult> second = proposer.propose(command(2));
    assertThat(forwarded).as("nothing goes through the client during the election").isEmpty();
    assertThat(first).isNotDone();

    electing.set(false);
    leading.set(true);
    proposer.leaderReady();

    assertThat(first.get(5, TimeUnit.SECONDS).getRevision()).isEqualTo(1);
    assertThat(second.get(5, TimeUnit.SECONDS).getRevision()).isEqualTo(2);
    assertThat(forwarded).isEmpty();
  }

  @Test
  void commandsWaitingForAnElectionGoToTheNewLeaderWhenItIsKnown() {
    electing.set(true);
    Proposer proposer = proposer(2);
    proposer.propose(command(1));
    assertThat(forwarded).isEmpty();

    electing.set(false);
    proposer.leaderChanged();

    assertThat(forwarded).hasSize(1);
  }

  @Test
  void aCommandHeldLongerThanTheLimitIsForwardedAnyway() {
    electing.set(true);
    maxHoldMs = 50;
    Proposer proposer = proposer(2);
    proposer.propose(command(1));
    assertThat(forwarded).isEmpty();
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(() -> assertThat(forwarded).hasSize(1));
  }

  /** How many local appends answer "not leader" (nothing appended) before they succeed. */
  private int notLeaderReplies;

  /** When set, local appends complete only when the test runs them. */
  private List<Runnable> pendingLocal;

  private static Command command(long tag) {
    // The tag travels as the command's request sequence; the fake leader returns it as the
    // revision, so a result can be told apart.
    return Command.newBuilder().setRequestId(io.coord.server.command.RequestId.newBuilder()
        .setClientId(7).setSeq(tag)).build();
  }

  private Optional<CompletableFuture<RaftClientReply>> appendLocally(byte[] entry) {
    if (!leading.get()) {
      return Optional.empty();
    }
    LogEntry decoded;
    try {
      decoded = LogEntry.parseFrom(entry);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new AssertionError(e);
    }
    if (notLeaderReplies > 0) {
      notLeaderReplies--;
      RaftGroupMemberId self = RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n1"),
          RaftGroupId.randomId());
      return Optional.of(CompletableFuture.completedFuture(RaftClientReply.newBuilder()
          .setClientId(ClientId.randomId()).setServerId(self).setCallId(1)
          .setException(new NotLeaderException(self, null, List.of())).build()));
    }
    appendedLocally.add(decoded.getCommandsCount());
    EntryResult.Builder results = EntryResult.newBuilder();
    decoded.getCommandsList().forEach(c -> results.addResults(
        CommandResult.newBuilder().setRevision(c.getRequestId().getSeq())));
    RaftClientReply reply = RaftClientReply.newBuilder()
        .setClientId(ClientId.randomId())
        .setServerId(RaftGroupMemberId.valueOf(RaftPeerId.valueOf("n1"), RaftGroupId.randomId()))
        .setCallId(1)
        .setSuccess()
        .setMessage(RaftMessages.message(results.build().toByteArray()))
        .build();
    CompletableFuture<RaftClientReply> future = new CompletableFuture<>();
    if (pendingLocal == null) {
      future.complete(reply);
    } else {
      pendingLocal.add(() -> future.complete(reply));
    }
    return Optional.of(future);
  }

  /** A Ratis client, aimed at the leader known now, whose sends never complete. */
  private RaftClient stuckClient() {
    int index = clientAims.size();
    String aim = knownLeader;
    clientAims.add(aim);
    List<byte[]> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    sentPerClient.add(sent);
    closedPerClient.add(false);
    AsyncApi async = (AsyncApi) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {AsyncApi.class}, (proxy, method, args) -> {
          if (method.getName().equals("send")) {
            forwarded.add(new byte[0]);
            sent.add(new byte[0]);
            return new CompletableFuture<RaftClientReply>();
          }
          throw new UnsupportedOperationException(method.getName());
        });
    return (RaftClient) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {RaftClient.class}, (proxy, method, args) -> switch (method.getName()) {
          case "async" -> async;
          case "getId" -> ClientId.randomId();
          case "getLeaderId" -> aim == null ? null : RaftPeerId.valueOf(aim);
          case "close" -> {
            closedPerClient.set(index, true);
            yield null;
          }
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
