package io.coord.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.discovery.InstanceEvent;
import io.coord.client.discovery.Registration;
import io.coord.client.discovery.ServiceCache;
import io.coord.client.discovery.ServiceInstance;
import io.coord.client.discovery.ServiceRegistry;
import io.coord.client.discovery.ServiceWatchListener;
import io.coord.client.discovery.ServiceWatcher;
import io.coord.client.election.ElectionEvent;
import io.coord.client.election.ElectionObserver;
import io.coord.client.election.Leadership;
import io.coord.client.session.Session;
import io.coord.client.watch.WatchOptions;
import io.coord.client.watch.Watcher;
import io.coord.testing.CoordTestCluster.Member;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member serving watches is cut off from its peers while the majority goes on writing:
 * it ends its watches with NO_LEADER once it has known no leader for the grace period (the
 * maximum election timeout), and every client watch - KV watch, election observation,
 * service watch and service cache - resumes on a member that has a leader, from its last
 * revision + 1, with no change lost or repeated.
 */
@Timeout(180)
class WatchIsolationIT {
  private static final Duration TTL = Duration.ofSeconds(6);
  /** Leader loss noticed (≤ 1.2 s election timeout) + grace (1.2 s) + checks, with slack. */
  private static final Duration FAILOVER = Duration.ofSeconds(20);

  @Test
  void watchesOfAnIsolatedMemberResumeOnTheMajorityWithoutGapOrDuplicate() throws Exception {
    try (CoordTestCluster cluster = CoordTestCluster.builder().size(3).peerLinks().build()
        .start()) {
      Member leader = cluster.awaitReady();
      Member isolated = cluster.running().stream().filter(m -> m != leader).findFirst()
          .orElseThrow();
      List<String> majority = cluster.running().stream().filter(m -> m != isolated)
          .map(Member::clientAddress).toList();
      List<String> isolatedFirst = new ArrayList<>();
      isolatedFirst.add(isolated.clientAddress());
      isolatedFirst.addAll(majority);
      CoordClient writer = cluster.newClient(majority);
      CoordClient watching = cluster.newClient(isolatedFirst);

      Session session = writer.sessions().grant(TTL);
      Leadership lead = writer.elections().campaign("iso", "v0", session);
      ServiceRegistry registry = writer.discovery().registry(TTL);
      registry.register(instance("iso-svc", "a-1"));
      long before = writer.kv().put("iso/0", "0").revision();

      WatchRecorder recorder = new WatchRecorder();
      Watcher watcher = watching.watch("iso/", WatchOptions.builder().prefix()
          .startRevision(before).build(), recorder);
      watcher.created().join();
      List<ElectionEvent> observed = new CopyOnWriteArrayList<>();
      ElectionObserver observer = watching.elections().observe("iso", observed::add);
      ServiceRecorder services = new ServiceRecorder();
      ServiceWatcher serviceWatcher = watching.discovery().watch("iso-svc", services);
      ServiceCache cache = watching.discovery().cache("iso-svc");
      await().atMost(FAILOVER).until(() -> observed.size() == 1
          && !services.snapshot.isEmpty() && cache.get("a-1").isPresent());
      // All four are served by the member about to be isolated (first in the client's list).
      assertThat(isolated.server().watches().stats().streams()).isEqualTo(4);
      for (Member other : cluster.running()) {
        if (other != isolated) {
          assertThat(other.server().watches().stats().streams()).as(other.name()).isZero();
        }
      }

      cluster.isolate(isolated.name());
      long isolatedAt = System.nanoTime();
      List<String> expected = new ArrayList<>(List.of("PUT iso/0=0@" + before));
      for (int i = 1; i <= 20; i++) {
        long revision = writer.kv().put("iso/" + i, "v" + i).revision();
        expected.add("PUT iso/" + i + "=v" + i + "@" + revision);
        if (i == 10) {
          long deleted = writer.kv().delete("iso/0").header().revision();
          expected.add("DELETE iso/0@" + deleted);
          lead.proclaim("v1");
          registry.register(instance("iso-svc", "a-2"));
        }
      }
      lead.proclaim("v2");
      registry.deregister("iso-svc", "a-1");
      lead.resign();

      await().atMost(FAILOVER).until(() -> recorder.lines().size() >= expected.size());
      Duration failedOverIn = Duration.ofNanos(System.nanoTime() - isolatedAt);
      assertThat(recorder.lines()).containsExactlyElementsOf(expected);
      assertThat(recorder.errors).isEmpty();
      assertThat(watcher.duplicatesDropped()).isZero();
      assertThat(watcher.reconnects()).as("the watch moved off the isolated member")
          .isPositive();
      assertThat(isolated.server().raft().leaderName()).as("the isolated member knows no leader")
          .isNull();
      System.out.printf("watch resumed on the majority %d ms after the isolation%n",
          failedOverIn.toMillis());

      await().atMost(FAILOVER).until(() -> observed.size() >= 4);
      assertThat(observed.stream().map(WatchIsolationIT::describe).toList())
          .containsExactly("LEADER v0", "LEADER v1", "LEADER v2", "NO_LEADER");
      assertThat(observed.stream().map(ElectionEvent::revision).toList()).isSorted()
          .doesNotHaveDuplicates();
      assertThat(observer.reconnects()).isPositive();

      await().atMost(FAILOVER).until(() -> cache.get("a-1").isEmpty()
          && cache.get("a-2").isPresent());
      assertThat(cache.instances()).extracting(ServiceInstance::id).containsExactly("a-2");
      await().atMost(FAILOVER).until(() -> services.events.size() >= 2);
      assertThat(services.events).containsExactly("PUT a-2", "DELETE a-1");
      assertThat(services.revisions).isSorted().doesNotHaveDuplicates();
      assertThat(serviceWatcher.reconnects()).isPositive();

      // A watch started while the member is still cut off is refused there and served by
      // the majority, from the start.
      WatchRecorder late = new WatchRecorder();
      Watcher lateWatcher = watching.watch("iso/", WatchOptions.builder().prefix()
          .startRevision(before).build(), late);
      await().atMost(FAILOVER).until(() -> late.lines().size() >= expected.size());
      assertThat(late.lines()).containsExactlyElementsOf(expected);
      assertThat(lateWatcher.reconnects()).isPositive();
      assertThat(isolated.server().watches().stats().streams()).isZero();

      cluster.heal(isolated.name());
      cluster.awaitConverged(Duration.ofSeconds(60));
      lateWatcher.close();
      watcher.close();
      observer.close();
      serviceWatcher.close();
      cache.close();
      registry.close();
      session.close();
    }
  }

  private static Registration instance(String service, String id) {
    return Registration.builder(service, id).address("127.0.0.1").port(9000).build();
  }

  private static String describe(ElectionEvent event) {
    return event.leader().map(l -> "LEADER " + l.valueString()).orElse("NO_LEADER");
  }

  /** The snapshot and then every instance event of a service watch, as text. */
  private static final class ServiceRecorder implements ServiceWatchListener {
    final List<String> snapshot = new CopyOnWriteArrayList<>();
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Long> revisions = new CopyOnWriteArrayList<>();

    @Override
    public void onSnapshot(long revision, List<ServiceInstance> instances) {
      instances.forEach(i -> snapshot.add(i.id()));
      revisions.add(revision);
    }

    @Override
    public void onEvents(long revision, List<InstanceEvent> batch) {
      batch.forEach(e -> events.add(e.type() + " " + e.id()));
      revisions.add(revision);
    }
  }
}
