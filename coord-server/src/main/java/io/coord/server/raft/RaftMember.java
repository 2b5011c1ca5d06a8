package io.coord.server.raft;

/**
 * A member of the current Raft configuration.
 *
 * @param name the member name (its Raft peer id)
 * @param peerAddress host:port of its Raft transport
 * @param learner true for a non-voting member
 */
public record RaftMember(String name, String peerAddress, boolean learner) {}
