package io.coord.server.raft;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.server.config.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto;
import org.apache.ratis.proto.RaftProtos.AppendEntriesReplyProto.AppendResult;
import org.apache.ratis.proto.RaftProtos.AppendEntriesRequestProto;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftGroupIdProto;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.StateMachineLogEntryProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Ratis server with a member's settings, as a follower fed append requests directly by
 * this test playing the leaders. A follower must hold every entry it acknowledges (the leader
 * counts the answer toward a majority) and apply only entries of its leader's log. Both failed
 * with Ratis's composed appends (docs/architecture.md).
 */
class FollowerAppendTest {
  private static final RaftGroupId GROUP = RaftGroupId.randomId();
  private static final RaftPeerId FOLLOWER = RaftPeerId.valueOf("n1");
  private static final RaftPeerId LEADER = RaftPeerId.valueOf("n2");

  @TempDir
  Path dir;
  private RaftServer server;
  private final AppliedEntries applied = new AppliedEntries();
  private long callIds;

  @BeforeEach
  void startFollower() throws Exception {
    // Elections are far off: the follower only ever hears this test's "leader".
    ServerConfig config = ServerConfig.fromMap(Map.of(
        "coord.name", "n1",
        "coord.cluster.initial-members", "n1=127.0.0.1:0,n2=127.0.0.1:1,n3=127.0.0.1:2",
        "coord.raft.election-timeout-min", "60s",
        "coord.raft.election-timeout-max", "120s"));
    RaftGroup group = RaftGroup.valueOf(GROUP, List.of(peer("n1", 0), peer("n2", 1),
        peer("n3", 2)));
    server = RaftServer.newBuilder().setServerId(FOLLOWER).setGroup(group)
        .setStateMachine(applied)
        .setProperties(RaftNode.serverProperties(config, dir))
        .setOption(RaftStorage.StartupOption.FORMAT)
        .build();
    server.start();
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
  }

  @Test
  void aResendOverlappingAnAppendInFlightIsAppendedBeforeItIsAcknowledged() throws Exception {
    // A leader resends from the same next index after a stream reset, with more entries, while
    // the first request may still be on its way to the follower's disk.
    CompletableFuture<AppendEntriesReplyProto> first = server.appendEntriesAsync(
        append(LEADER, 1, null, entries(1, 0, 10), -1));
    CompletableFuture<AppendEntriesReplyProto> resend = server.appendEntriesAsync(
        append(LEADER, 1, null, entries(1, 0, 20), -1));

    for (AppendEntriesReplyProto reply : List.of(first.get(10, TimeUnit.SECONDS),
        resend.get(10, TimeUnit.SECONDS))) {
      assertThat(reply.getResult()).isEqualTo(AppendResult.SUCCESS);
      assertThat(server.getDivision(GROUP).getRaftLog().getFlushIndex())
          .as("entries on disk when the follower acknowledged up to %d", reply.getMatchIndex())
          .isGreaterThanOrEqualTo(reply.getMatchIndex());
    }
  }

  @Test
  void aDeposedLeadersUncommittedTailIsReplacedBeforeAnyOfItIsApplied() throws Exception {
    // Term 1: entries 0-9 reach this member, 0-4 committed; 5-9 never will be.
    server.appendEntriesAsync(append(LEADER, 1, null, entries(1, 0, 10), 4))
        .get(10, TimeUnit.SECONDS);
    // More of term 1, large, still on their way to disk when term 2 begins.
    CompletableFuture<AppendEntriesReplyProto> large = server.appendEntriesAsync(
        append(LEADER, 1, TermIndex.valueOf(1, 9), entries(1, 10, 16, 256 * 1024), 4));
    // Term 2: the new leader's first append replaces 5 onwards; its heartbeat follows at once.
    RaftPeerId newLeader = RaftPeerId.valueOf("n3");
    CompletableFuture<AppendEntriesReplyProto> replacing = server.appendEntriesAsync(
        append(newLeader, 2, TermIndex.valueOf(1, 4), entries(2, 5, 5), 4));
    server.appendEntriesAsync(append(newLeader, 2, TermIndex.valueOf(2, 9), List.of(), 9))
        .get(10, TimeUnit.SECONDS);
    large.handle((reply, error) -> null).get(10, TimeUnit.SECONDS);
    replacing.get(10, TimeUnit.SECONDS);
    // The first heartbeat may have found the new entries not yet on disk.
    server.appendEntriesAsync(append(newLeader, 2, TermIndex.valueOf(2, 9), List.of(), 9))
        .get(10, TimeUnit.SECONDS);

    Awaitility.await().atMost(Duration.ofSeconds(10))
        .until(() -> applied.terms().containsKey(9L));
    assertThat(applied.terms()).as("term of each applied entry by index")
        .containsAllEntriesOf(Map.of(5L, 2L, 6L, 2L, 7L, 2L, 8L, 2L, 9L, 2L));
  }

  private AppendEntriesRequestProto append(RaftPeerId leader, long term, TermIndex previous,
      List<LogEntryProto> entries, long leaderCommit) {
    AppendEntriesRequestProto.Builder request = AppendEntriesRequestProto.newBuilder()
        .setServerRequest(RaftRpcRequestProto.newBuilder()
            .setRequestorId(leader.toByteString())
            .setReplyId(FOLLOWER.toByteString())
            .setRaftGroupId(RaftGroupIdProto.newBuilder().setId(GROUP.toByteString()))
            .setCallId(++callIds))
        .setLeaderTerm(term)
        .setLeaderCommit(leaderCommit)
        .addAllEntries(entries);
    if (previous != null) {
      request.setPreviousLog(previous.toProto());
    }
    return request.build();
  }

  private static List<LogEntryProto> entries(long term, long from, int count) {
    return entries(term, from, count, 0);
  }

  private static List<LogEntryProto> entries(long term, long from, int count, int padding) {
    ByteString client = ClientId.randomId().toByteString();
    ByteString pad = ByteString.copyFrom(new byte[padding]);
    List<LogEntryProto> entries = new ArrayList<>();
    for (long index = from; index < from + count; index++) {
      entries.add(LogEntryProto.newBuilder().setTerm(term).setIndex(index)
          .setStateMachineLogEntry(StateMachineLogEntryProto.newBuilder()
              .setClientId(client).setCallId(index)
              .setLogData(ByteString.copyFromUtf8("entry " + index).concat(pad)))
          .build());
    }
    return entries;
  }

  /** Records the term of every entry applied, by index. */
  private static final class AppliedEntries extends BaseStateMachine {
    private final Map<Long, Long> terms = new ConcurrentHashMap<>();

    Map<Long, Long> terms() {
      return terms;
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
      LogEntryProto entry = trx.getLogEntry();
      terms.put(entry.getIndex(), entry.getTerm());
      updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
      return CompletableFuture.completedFuture(Message.EMPTY);
    }
  }

  private static RaftPeer peer(String name, int port) {
    return RaftPeer.newBuilder().setId(name).setAddress("127.0.0.1:" + port).build();
  }
}
