package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.discovery.InstanceEvent;
import io.coord.client.discovery.Registration;
import io.coord.client.discovery.ServiceInstance;
import io.coord.client.discovery.ServiceRegistry;
import io.coord.client.discovery.ServiceWatchListener;
import io.coord.client.discovery.ServiceWatcher;
import io.coord.client.election.ElectionEvent;
import io.coord.client.election.ElectionObserver;
import io.coord.client.session.Session;
import io.coord.client.session.SessionState;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import io.grpc.Context;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A service that embeds the client often opens a watch, a session or an observer while it
 * handles a gRPC call of its own. gRPC calls inherit the cancellation of the call they start
 * in, so unless the client detaches its long-lived streams, each would be cancelled when that
 * call ends (watches, election observers and service watches were: each had to reconnect). These
 * tests open each inside a context, cancel the context, and check that the stream still
 * delivers without having to reconnect. A session's keep-alives run on the client's own thread,
 * outside any caller's context; its test keeps it that way.
 */
@Timeout(120)
class CallerContextIT {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static CoordTestCluster cluster;
  private static CoordClient client;

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitReady();
    client = cluster.newClient();
  }

  @AfterAll
  static void stop() {
    client.close();
    cluster.close();
  }

  /** Runs {@code open} inside a gRPC context, as a server handler would, then ends it. */
  private static <T> T openInCallThatEnds(Callable<T> open) throws Exception {
    Context.CancellableContext call = Context.current().withCancellation();
    try {
      return call.call(open);
    } finally {
      call.cancel(null);
    }
  }

  @Test
  void aWatchOutlivesTheCallItWasOpenedIn() throws Exception {
    WatchRecorder recorder = new WatchRecorder();
    try (Watcher watcher = openInCallThatEnds(() -> client.watch("ctx/watch",
        WatchOptions.builder().build(), recorder))) {
      watcher.created().join();
      client.kv().put("ctx/watch", "1");
      await().atMost(WAIT).until(() -> recorder.eventCount() == 1);
      assertThat(watcher.reconnects()).isZero();
      assertThat(recorder.errors).isEmpty();
    }
  }

  @Test
  void aSessionsKeepAlivesOutliveTheCallItWasGrantedIn() throws Exception {
    Duration ttl = Duration.ofSeconds(6);
    List<SessionState> states = new CopyOnWriteArrayList<>();
    try (Session session = openInCallThatEnds(() -> client.sessions().grant(ttl))) {
      session.addListener((s, state) -> states.add(state));
      // Without acknowledged keep-alives the client declares the session LOST before its TTL
      // has passed (and the leader expires it at the TTL): it must stay CONNECTED throughout.
      await().during(ttl.plusSeconds(1)).atMost(ttl.plusSeconds(10))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> session.state() == SessionState.CONNECTED);
      assertThat(states).isEmpty();
      assertThat(client.sessions().timeToLive(session.id(), false).live()).isPresent();
    }
  }

  @Test
  void anElectionObserverOutlivesTheCallItWasOpenedIn() throws Exception {
    List<ElectionEvent> events = new CopyOnWriteArrayList<>();
    try (Session session = client.sessions().grant(Duration.ofSeconds(6));
         ElectionObserver observer = openInCallThatEnds(() -> client.elections().observe(
             "ctx-election", events::add))) {
      await().atMost(WAIT).until(() -> events.size() == 1);
      client.elections().campaign("ctx-election", "me", session);
      await().atMost(WAIT).until(() -> events.size() == 2);
      assertThat(events.get(1).type()).isEqualTo(ElectionEvent.Type.LEADER);
      assertThat(observer.reconnects()).isZero();
    }
  }

  @Test
  void aServiceWatchOutlivesTheCallItWasOpenedIn() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    ServiceWatchListener listener = new ServiceWatchListener() {
      @Override
      public void onSnapshot(long revision, List<ServiceInstance> instances) {
        seen.add("snapshot " + instances.size());
      }

      @Override
      public void onEvents(long revision, List<InstanceEvent> events) {
        events.forEach(e -> seen.add(e.type() + " " + e.id()));
      }
    };
    try (ServiceWatcher watcher = openInCallThatEnds(() -> client.discovery().watch(
        "ctx-service", listener));
         ServiceRegistry registry = client.discovery().registry(Duration.ofSeconds(6))) {
      await().atMost(WAIT).until(() -> seen.contains("snapshot 0"));
      registry.register(
          Registration.builder("ctx-service", "one").address("127.0.0.1").port(9001).build());
      await().atMost(WAIT).until(() -> seen.contains("PUT one"));
      assertThat(watcher.reconnects()).isZero();
    }
  }
}
