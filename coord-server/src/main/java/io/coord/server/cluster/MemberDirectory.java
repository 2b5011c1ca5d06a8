package io.coord.server.cluster;

import com.google.protobuf.InvalidProtocolBufferException;
import io.coord.proto.v1.Member;
import io.coord.server.command.PublishMember;
import io.coord.server.raft.RaftMember;
import io.coord.server.raft.RaftNode;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.storage.ColumnFamily;
import io.coord.server.storage.Cursor;
import io.coord.server.storage.StorageException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The members of the cluster as this member knows them: the current Raft configuration joined
 * with the addresses each member published through the log.
 */
public final class MemberDirectory {
  private final RaftNode raft;
  private final CoordStateMachine stateMachine;
  private final String clusterToken;

  public MemberDirectory(RaftNode raft, CoordStateMachine stateMachine, String clusterToken) {
    this.raft = raft;
    this.stateMachine = stateMachine;
    this.clusterToken = clusterToken;
  }

  public List<Member> members() {
    Map<String, PublishMember> published = published();
    List<Member> members = new ArrayList<>();
    for (RaftMember raftMember : raft.members()) {
      PublishMember addresses = published.getOrDefault(raftMember.name(),
          PublishMember.getDefaultInstance());
      members.add(Member.newBuilder()
          .setId(memberId(raftMember.name()))
          .setName(raftMember.name())
          .setPeerAddress(raftMember.peerAddress())
          .setClientAddress(addresses.getClientAddress())
          .setHttpAddress(addresses.getHttpAddress())
          .setIsLearner(raftMember.learner())
          .build());
    }
    return members;
  }

  /** The addresses a member published, by member name. */
  public Map<String, PublishMember> published() {
    return stateMachine.read((view, meta) -> {
      Map<String, PublishMember> byName = new HashMap<>();
      try (Cursor cursor = view.scan(ColumnFamily.MEMBERS, null, null)) {
        for (; cursor.valid(); cursor.next()) {
          byName.put(new String(cursor.key(), StandardCharsets.UTF_8), parse(cursor.value()));
        }
      }
      return byName;
    });
  }

  /** True if this member is the leader now. */
  public boolean isLeader() {
    try {
      return raft.isLeader();
    } catch (RuntimeException notRunning) {
      return false;
    }
  }

  /** The id of the current leader, or 0 if none is known. */
  public long leaderId() {
    String leader = raft.leaderName();
    return leader == null ? 0 : memberId(leader);
  }

  public long memberId(String name) {
    return MemberIds.memberId(clusterToken, name);
  }

  private static PublishMember parse(byte[] stored) {
    try {
      return PublishMember.parseFrom(stored);
    } catch (InvalidProtocolBufferException e) {
      throw new StorageException("corrupt member record", e);
    }
  }
}
