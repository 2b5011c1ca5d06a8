package io.coord.server.cluster;

import io.coord.server.command.PublishMember;
import io.coord.server.raft.RaftNode;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.Optional;

/**
 * How a member talks to the leader (or another member) on behalf of a client: the leader's
 * published client address, and channels whose calls carry the forwarded-once mark, so a
 * member receiving a forwarded call answers it itself instead of forwarding it again.
 */
public final class LeaderRoute {
  /** Metadata marking a request already forwarded once, so it is never forwarded again. */
  public static final Metadata.Key<String> FORWARDED =
      Metadata.Key.of("coord-forwarded", Metadata.ASCII_STRING_MARSHALLER);

  private final RaftNode raft;
  private final MemberDirectory directory;
  private final PeerChannels channels;

  public LeaderRoute(RaftNode raft, MemberDirectory directory, PeerChannels channels) {
    this.raft = raft;
    this.directory = directory;
    this.channels = channels;
  }

  /** The leader this member knows, if it is another member: its name and client address. */
  public Optional<Target> remoteLeader() {
    String leader = raft.leaderName();
    if (leader == null || leader.equals(raft.name())) {
      return Optional.empty();
    }
    return address(leader).map(address -> new Target(leader, address));
  }

  /** The published client address of member {@code name}, if any. */
  public Optional<String> address(String name) {
    String address = directory.published().getOrDefault(name,
        PublishMember.getDefaultInstance()).getClientAddress();
    return address.isEmpty() ? Optional.empty() : Optional.of(address);
  }

  /** A channel to {@code address} whose calls are marked as forwarded. */
  public Channel forwarded(String address) {
    Metadata mark = new Metadata();
    mark.put(FORWARDED, "1");
    return ClientInterceptors.intercept(channels.get(address),
        MetadataUtils.newAttachHeadersInterceptor(mark));
  }

  /** A plain channel to another member's client API. */
  public Channel direct(String address) {
    return channels.get(address);
  }

  /**
   * A member to talk to.
   *
   * @param name its name
   * @param address its client address
   */
  public record Target(String name, String address) {}
}
