package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.server.cluster.FollowerLinks;
import io.coord.server.cluster.LeaderLink;
import io.coord.server.cluster.PeerChannels;
import io.coord.server.peer.LeaderLinkRequest;
import io.coord.server.peer.LeaderLinkResponse;
import io.coord.server.peer.PeerGrpc;
import io.coord.server.time.Clock;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A follower's {@link LeaderLink} to a leader served by a real gRPC server on loopback, behind a
 * {@link TcpProxy} whose cut closes connections and refuses new ones as a killed process does.
 */
class LeaderLinkTest {
  private final PeerChannels channels = new PeerChannels();
  private final AtomicInteger losses = new AtomicInteger();
  private FakeLeader leader;
  private Server server;
  private LeaderLink link;
  private TcpProxy relay;

  /** Leads term 4 until told otherwise; holds links through {@link FollowerLinks}. */
  private static final class FakeLeader extends PeerGrpc.PeerImplBase {
    volatile FollowerLinks links = new FollowerLinks();
    volatile long term = 4;
    final AtomicInteger asked = new AtomicInteger();

    @Override
    public void leaderLink(LeaderLinkRequest request,
        StreamObserver<LeaderLinkResponse> observer) {
      asked.incrementAndGet();
      if (request.getTerm() != term) {
        observer.onError(Status.FAILED_PRECONDITION.asRuntimeException());
        return;
      }
      links.hold(observer, request.getTerm());
    }
  }

  @BeforeEach
  void start() throws IOException {
    leader = new FakeLeader();
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(leader).build().start();
    relay = new TcpProxy("127.0.0.1:" + server.getPort());
    String address = relay.address();
    link = new LeaderLink(channels, name -> name.equals("n1") ? Optional.of(address)
        : Optional.empty(), Clock.SYSTEM);
    link.onLost(losses::incrementAndGet);
  }

  @AfterEach
  void stop() throws InterruptedException, IOException {
    link.close();
    relay.close();
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    channels.close();
  }

  /** Follows n1 in term 4 until n1 holds the stream. */
  private void openLink() {
    link.follow("n1", 4);
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.links.size() == 1);
  }

  @Test
  void aLeaderWhoseConnectionsCloseIsLostAtOnce() throws IOException {
    openLink();
    await().atMost(Duration.ofSeconds(10)).until(link::openTo, Optional.of("n1")::equals);
    assertThat(link.lost("n1", 4)).isFalse();

    // What a killed process's connections do: they close, with no answer to any call.
    relay.cut();

    await().atMost(Duration.ofSeconds(10)).until(() -> link.lost("n1", 4));
    assertThat(losses).hasValue(1);
    assertThat(link.openTo()).isEmpty();
    assertThat(link.lost("n1", 5)).as("another term").isFalse();
    assertThat(link.lost("n2", 4)).as("another leader").isFalse();
    // Retrying against the dead address keeps it lost, without telling again.
    link.follow("n1", 4);
    link.follow("n1", 4);
    assertThat(link.lost("n1", 4)).isTrue();
    assertThat(losses).hasValue(1);
  }

  @Test
  void aConnectionResetWhileTheLeaderLivesOnIsNotALoss() throws IOException {
    openLink();
    int asked = leader.asked.get();

    // A middlebox dropping the connection: the process still listens and answers again.
    relay.dropConnections();

    await().atMost(Duration.ofSeconds(10))
        .until(() -> leader.asked.get() == asked + 1 && leader.links.size() == 1);
    assertThat(link.lost("n1", 4)).isFalse();
    assertThat(losses).hasValue(0);
  }

  @Test
  void aServerThatCancelsItsCallsOnItsWayDownIsLost() throws InterruptedException {
    openLink();

    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);

    await().atMost(Duration.ofSeconds(10)).until(() -> link.lost("n1", 4));
  }

  @Test
  void aStoppingLeaderEndsItsLinksAsLost() {
    openLink();

    leader.links.close();

    await().atMost(Duration.ofSeconds(10)).until(() -> link.lost("n1", 4));
  }

  @Test
  void checkingALiveLeaderFindsItLinked() throws Exception {
    assertThat(link.checkLost("n1", 4, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS))
        .as("never answered yet: nothing to check").isFalse();
    openLink();

    assertThat(link.checkLost("n1", 4, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS))
        .isFalse();
    assertThat(link.lost("n1", 4)).isFalse();
    assertThat(losses).hasValue(0);
  }

  @Test
  void checkingFindsALeaderThatNoLongerAnswersBeforeItsStreamBreaks() throws Exception {
    openLink();
    // The process no longer leads term 4 (a fresh call is refused), its old stream still open.
    leader.term = 5;

    assertThat(link.checkLost("n1", 4, Duration.ofSeconds(5)).get(10, TimeUnit.SECONDS))
        .isTrue();
    assertThat(link.lost("n1", 4)).isTrue();
    assertThat(losses).hasValue(1);
    await("the old stream cancelled").atMost(Duration.ofSeconds(10))
        .until(() -> leader.links.size() == 0);
  }

  @Test
  void aLinkThatNeverOpenedIsNotLost() throws InterruptedException {
    // The member it names is not the leader of that term (yet): refused, not lost.
    link.follow("n1", 7);
    await().atMost(Duration.ofSeconds(10)).until(() -> leader.asked.get() == 1);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    link.follow("n1", 7);
    assertThat(link.lost("n1", 7)).isFalse();
    assertThat(link.openTo()).isEmpty();
    // A leader without a published address is never linked either.
    link.follow("n2", 7);
    assertThat(link.lost("n2", 7)).isFalse();
    assertThat(losses).hasValue(0);
  }

  @Test
  void followingAnotherLeaderCancelsTheStreamToTheOld() {
    openLink();

    link.follow(null, 5);

    await().atMost(Duration.ofSeconds(10)).until(() -> leader.links.size() == 0);
    assertThat(link.lost("n1", 4)).isFalse();
    assertThat(losses).hasValue(0);
  }

  @Test
  void aLostLinkIsFoundAgainWhenTheLeaderAnswers() {
    openLink();
    // The connection broke but the leader lives on (its links end, its server stays).
    leader.links.close();
    await().atMost(Duration.ofSeconds(10)).until(() -> link.lost("n1", 4));

    AtomicInteger found = new AtomicInteger();
    link.onFound(found::incrementAndGet);
    FollowerLinks fresh = new FollowerLinks();
    leader.links = fresh;

    // Tried again on the ticks that follow, at most every LOST_RETRY_MS.
    await().atMost(Duration.ofSeconds(10)).until(() -> {
      link.follow("n1", 4);
      return !link.lost("n1", 4);
    });
    assertThat(fresh.size()).isEqualTo(1);
    assertThat(found).hasValue(1);
  }
}
