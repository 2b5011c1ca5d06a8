package io.coord.server.cluster;

import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** gRPC channels from this member to other members' client APIs, one per address. */
public final class PeerChannels implements AutoCloseable {
  private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();

  public ManagedChannel get(String address) {
    return channels.computeIfAbsent(address,
        a -> ManagedChannelBuilder.forTarget(a).usePlaintext().build());
  }

  /**
   * Ends the reconnect backoff of the channel to {@code address} if its last connection attempt
   * failed, so that the next call tries to connect instead of failing at once (gRPC waits 1 s
   * and more between attempts, longer than a restarted member takes to listen again).
   */
  public void reconnectNow(String address) {
    ManagedChannel channel = channels.get(address);
    if (channel != null && channel.getState(false) == ConnectivityState.TRANSIENT_FAILURE) {
      channel.resetConnectBackoff();
    }
  }

  @Override
  public void close() {
    channels.values().forEach(ManagedChannel::shutdownNow);
    for (ManagedChannel channel : channels.values()) {
      try {
        channel.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
