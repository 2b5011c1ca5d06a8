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
 * call ends. These tests open each inside a context, cancel the context, and check that the
 * stream still delivers without having to reconnect.
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
    List<SessionState> states = new CopyOnWriteArrayList<>();
    try (Session session = openInCallThatEnds(() -> client.sessions().grant(
        Duration.ofSeconds(6)))) {
      session.addListener((s, state) -> states.add(state));
      Duration left = session.timeLeft();
      // Keep-alives go every third of the TTL; one acknowledged after the call ended moves
      // the deadline past where it was.
      await().atMost(WAIT).until(() -> session.timeLeft().compareTo(left) > 0);
      assertThat(states).isEmpty();
      assertThat(session.state()).isEqualTo(SessionState.CONNECTED);
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
