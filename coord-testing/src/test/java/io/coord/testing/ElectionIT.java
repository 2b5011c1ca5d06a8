package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.coord.client.CoordClient;
import io.coord.client.CoordException;
import io.coord.client.StaleFenceException;
import io.coord.client.election.ElectionEvent;
import io.coord.client.election.ElectionListener;
import io.coord.client.election.ElectionObserver;
import io.coord.client.election.LeaderLatch;
import io.coord.client.election.LeaderSelector;
import io.coord.client.election.Leadership;
import io.coord.client.kv.PutOptions;
import io.coord.client.session.Session;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Elections end to end on one 3-member cluster: campaigns, terms, proclamations, resignations,
 * observers (every transition including NO_LEADER, across a member's failure and across
 * compaction), and the latch and selector recipes.
 */
@Timeout(300)
class ElectionIT {
  private static final Duration TTL = Duration.ofSeconds(6);
  private static CoordTestCluster cluster;
  private static final List<CoordClient> clients = new ArrayList<>();

  @BeforeAll
  static void start() {
    cluster = CoordTestCluster.builder().size(3).build().start();
    cluster.awaitReady();
    List<String> endpoints = cluster.endpoints();
    for (int i = 0; i < endpoints.size(); i++) {
      List<String> rotated = new ArrayList<>(endpoints.subList(i, endpoints.size()));
      rotated.addAll(endpoints.subList(0, i));
      clients.add(cluster.newClient(rotated));
    }
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  private static CoordClient client(int i) {
    return clients.get(i % clients.size());
  }

  /** Records an observer's events as text. */
  private static final class Recorder implements ElectionListener {
    final List<ElectionEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(ElectionEvent event) {
      events.add(event);
    }

    List<String> described() {
      return events.stream().map(e -> e.leader().map(l -> "LEADER " + l.session() + " "
          + l.valueString()).orElse("NO_LEADER")).toList();
    }

    List<Long> terms() {
      return events.stream().flatMap(e -> e.leader().stream()).map(l -> l.term()).toList();
    }

    void awaitSize(int size) {
      Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> events.size() >= size);
    }
  }

  @Test
  void campaignersLeadInTurnAndObserversSeeEveryTransitionInOrder() throws Exception {
    Recorder near = new Recorder();
    Recorder far = new Recorder();
    try (ElectionObserver o1 = client(0).elections().observe("turns", near);
         ElectionObserver o2 = client(2).elections().observe("turns", far)) {
      near.awaitSize(1);
      far.awaitSize(1);
      Session a = client(0).sessions().grant(TTL);
      Session b = client(1).sessions().grant(TTL);
      Leadership first = client(0).elections().campaign("turns", "a1", a);
      CompletableFuture<Leadership> second = client(1).elections().campaignAsync("turns",
          ByteString.copyFromUtf8("b1"), b, null);
      assertThat(client(2).elections().leader("turns")).hasValueSatisfying(l ->
          assertThat(l.term()).isEqualTo(first.term()));
      first.proclaim("a2");
      a.close();   // the leader's session ends: the next campaigner leads in the same revision
      Leadership next = second.get(30, TimeUnit.SECONDS);
      assertThat(next.term()).isGreaterThan(first.term());
      next.resign();

      List<String> expected = List.of("NO_LEADER", "LEADER " + a.id() + " a1",
          "LEADER " + a.id() + " a2", "LEADER " + b.id() + " b1", "NO_LEADER");
      near.awaitSize(expected.size());
      far.awaitSize(expected.size());
      assertThat(near.described()).containsExactlyElementsOf(expected);
      assertThat(far.described()).containsExactlyElementsOf(expected);
      assertThat(near.terms()).containsExactly(first.term(), first.term(), next.term());
      assertThat(near.events.stream().map(ElectionEvent::revision).toList()).isSorted()
          .doesNotHaveDuplicates();
      b.close();
    }
  }

  @Test
  void aTermFencesWritesAndProclaimingWithAnEndedTermIsRefused() {
    Session s = client(0).sessions().grant(TTL);
    Leadership lead = client(0).elections().campaign("fenced", "x", s);
    client(1).kv().put("fenced/state", "1", PutOptions.builder().guard(lead.fence()).build());
    lead.resign();
    assertThatThrownBy(() -> client(1).kv().put("fenced/state", "2",
        PutOptions.builder().guard(lead.fence()).build()))
        .isInstanceOf(StaleFenceException.class);
    assertThatThrownBy(() -> client(2).elections().proclaim("fenced", lead.term(),
        ByteString.copyFromUtf8("y")))
        .isInstanceOf(CoordException.class)
        .satisfies(e -> assertThat(((CoordException) e).reason())
            .isEqualTo("NOT_ELECTION_LEADER"));
    s.close();
  }

  @Test
  void anObserverGoesOnWithoutLossOrRepeatWhenItsMemberStops() throws Exception {
    // Client 1 talks to members[1] first; stopping it moves the observation elsewhere.
    String member = cluster.members().get(1).name();
    Recorder recorder = new Recorder();
    Session s = client(0).sessions().grant(TTL);
    try (ElectionObserver observer = client(1).elections().observe("moves", recorder)) {
      recorder.awaitSize(1);
      Leadership lead = client(0).elections().campaign("moves", "v0", s);
      recorder.awaitSize(2);
      cluster.stop(member);
      try {
        for (int i = 1; i <= 3; i++) {
          lead.proclaim("v" + i);
        }
        recorder.awaitSize(5);
      } finally {
        cluster.start(member);
      }
      lead.resign();
      recorder.awaitSize(6);
      assertThat(recorder.described()).containsExactly("NO_LEADER", "LEADER " + s.id() + " v0",
          "LEADER " + s.id() + " v1", "LEADER " + s.id() + " v2", "LEADER " + s.id() + " v3",
          "NO_LEADER");
      assertThat(observer.reconnects()).isPositive();
    }
    s.close();
    cluster.awaitReady();
  }

  @Test
  void anObserverFromACompactedRevisionReadsTheLeaderAndGoesOn() {
    Session s = client(0).sessions().grant(TTL);
    Leadership lead = client(0).elections().campaign("compacted", "old", s);
    long from = lead.revision();
    lead.proclaim("newer");
    long now = client(0).kv().put("compacted/marker", "x").revision();
    client(0).kv().compact(now);
    // Every member applied the compaction, so whichever serves the observation refuses `from`.
    cluster.awaitConverged(Duration.ofSeconds(30));
    Recorder recorder = new Recorder();
    try (ElectionObserver observer = client(2).elections().observe("compacted", from,
        recorder)) {
      recorder.awaitSize(1);
      assertThat(recorder.described()).containsExactly("LEADER " + s.id() + " newer");
      lead.resign();
      recorder.awaitSize(2);
      assertThat(recorder.described()).containsExactly("LEADER " + s.id() + " newer",
          "NO_LEADER");
    }
    s.close();
  }

  @Test
  void latchesTakeOverFromEachOtherAndTellTheirListeners() throws Exception {
    List<String> told = new CopyOnWriteArrayList<>();
    try (LeaderLatch first = client(0).elections().latch("latch", "first", TTL).start()) {
      assertThat(first.awaitLeadership(Duration.ofSeconds(30))).isTrue();
      LeaderLatch second = client(1).elections().latch("latch", "second", TTL);
      second.addListener(new LeaderLatch.Listener() {
        @Override
        public void isLeader(Leadership leadership) {
          told.add("leader " + leadership.value().toStringUtf8());
        }

        @Override
        public void notLeader() {
          told.add("not leader");
        }
      });
      try (LeaderLatch started = second.start()) {
        assertThat(started.awaitLeadership(Duration.ofMillis(500))).isFalse();
        first.close();
        assertThat(started.awaitLeadership(Duration.ofSeconds(30))).isTrue();
        assertThat(first.isLeader()).isFalse();
        assertThat(client(2).elections().leader("latch")).hasValueSatisfying(l ->
            assertThat(l.valueString()).isEqualTo("second"));
      }
      Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> told.size() == 2);
      assertThat(told).containsExactly("leader second", "not leader");
    }
  }

  @Test
  void aSelectorsTaskIsInterruptedWhenItsSessionIsLostBeforeAnotherIsElected()
      throws Exception {
    List<LinkProxy> links = cluster.endpoints().stream().map(LinkProxy::to).toList();
    CoordClient cutOff = cluster.newClient(links.stream().map(LinkProxy::address).toList());
    CompletableFuture<Long> interruptedAt = new CompletableFuture<>();
    CompletableFuture<Long> firstTerm = new CompletableFuture<>();
    LeaderSelector doomed = cutOff.elections().selector("selector", "doomed", TTL, leadership -> {
      firstTerm.complete(leadership.term());
      try {
        new java.util.concurrent.CountDownLatch(1).await(); // held until interrupted
      } catch (InterruptedException e) {
        interruptedAt.complete(System.nanoTime());
      }
    }).start();
    CompletableFuture<Long> nextElectedAt = new CompletableFuture<>();
    long term = firstTerm.get(30, TimeUnit.SECONDS);
    LeaderSelector next = client(1).elections().selector("selector", "next", TTL, leadership -> {
      nextElectedAt.complete(leadership.term() > term ? System.nanoTime() : -1);
      new java.util.concurrent.CountDownLatch(1).await(); // held until interrupted
    }).start();
    try {
      links.forEach(LinkProxy::blackhole);
      long lostAt = interruptedAt.get(TTL.toSeconds() * 3, TimeUnit.SECONDS);
      long electedAt = nextElectedAt.get(TTL.toSeconds() * 3, TimeUnit.SECONDS);
      assertThat(electedAt).as("elected with a greater term").isPositive();
      assertThat(lostAt).as("interrupted before anyone else was elected").isLessThan(electedAt);
    } finally {
      links.forEach(LinkProxy::restore);
      next.close();
      doomed.close();
      links.forEach(LinkProxy::close);
    }
  }
}
