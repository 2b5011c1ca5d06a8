package io.coord.server.config;

/** One member of the initial cluster: its name and Raft (peer) address. */
public record PeerSpec(String name, HostPort peerAddress) {}
