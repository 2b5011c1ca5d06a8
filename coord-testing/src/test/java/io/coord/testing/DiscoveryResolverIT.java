package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.client.CoordClient;
import io.coord.client.discovery.CheckSpec;
import io.coord.client.discovery.CoordNameResolverProvider;
import io.coord.client.discovery.Registration;
import io.coord.client.discovery.ServiceRegistry;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.MethodDescriptor;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.ServerCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A gRPC channel to coord:///service balances over the live instances. */
@Timeout(120)
class DiscoveryResolverIT {
  /** A one-method service answering with the server's name; no code generation needed. */
  private static final MethodDescriptor<String, String> WHO = MethodDescriptor
      .<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("test.Who/Name")
      .setRequestMarshaller(new Utf8())
      .setResponseMarshaller(new Utf8())
      .build();

  private CoordTestCluster cluster;
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitReady();
  }

  @AfterEach
  void stop() throws InterruptedException {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    cluster.close();
  }

  private Server who(String name) throws IOException {
    HealthStatusManager health = new HealthStatusManager();
    Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerServiceDefinition.builder("test.Who")
            .addMethod(WHO, ServerCalls.asyncUnaryCall((request, response) -> {
              response.onNext(name);
              response.onCompleted();
            })).build())
        .addService(health.getHealthService())
        .build().start();
    servers.add(server);
    return server;
  }

  private static Registration instance(String id, Server server) {
    int port = server.getPort();
    return Registration.builder("who", id).address("127.0.0.1").port(port)
        .check(CheckSpec.grpc("127.0.0.1:" + port, "").interval(Duration.ofMillis(300)))
        .build();
  }

  private static String call(ManagedChannel channel) {
    return ClientCalls.blockingUnaryCall(channel, WHO, CallOptions.DEFAULT.withWaitForReady()
        .withDeadlineAfter(10, TimeUnit.SECONDS), "");
  }

  private void routesToLiveInstancesOnly(ManagedChannel channel, ServiceRegistry registry) {
    Set<String> seen = new HashSet<>();
    Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> {
      seen.add(call(channel));
      return seen.equals(Set.of("a", "b"));
    });

    registry.deregister("who", "b");
    // Once the resolver dropped b, round-robin stays on a.
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
      for (int i = 0; i < 10; i++) {
        if (!call(channel).equals("a")) {
          return false;
        }
      }
      return true;
    });
    for (int i = 0; i < 50; i++) {
      assertThat(call(channel)).isEqualTo("a");
    }
  }

  @Test
  void aChannelToTheMembersInTheTargetUsesTheDefaultProvider() throws Exception {
    Server a = who("a");
    Server b = who("b");
    CoordClient client = cluster.newClient();
    ServiceRegistry registry = client.discovery().registry(Duration.ofSeconds(6));
    registry.register(instance("a", a));
    registry.register(instance("b", b));
    ManagedChannel channel = ManagedChannelBuilder
        .forTarget("coord:///who?endpoints=" + String.join(",", cluster.endpoints()))
        .usePlaintext().build();
    channels.add(channel);
    routesToLiveInstancesOnly(channel, registry);
  }

  @Test
  void aProviderMadeWithAClientServesCoordTargetsWithoutMembers() throws Exception {
    Server a = who("a");
    Server b = who("b");
    CoordClient client = cluster.newClient();
    ServiceRegistry registry = client.discovery().registry(Duration.ofSeconds(6));
    registry.register(instance("a", a));
    registry.register(instance("b", b));
    CoordNameResolverProvider provider = new CoordNameResolverProvider(client);
    NameResolverRegistry.getDefaultRegistry().register(provider);
    try {
      // host:port targets (the members' own health-check channels among them) stay DNS.
      assertThat(NameResolverRegistry.getDefaultRegistry().asFactory().getDefaultScheme())
          .isEqualTo("dns");
      ManagedChannel channel = ManagedChannelBuilder.forTarget("coord:///who").usePlaintext()
          .build();
      channels.add(channel);
      routesToLiveInstancesOnly(channel, registry);
    } finally {
      NameResolverRegistry.getDefaultRegistry().deregister(provider);
    }
  }

  /** Strings as UTF-8 bytes. */
  private static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
