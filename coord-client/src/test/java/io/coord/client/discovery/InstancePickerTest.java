package io.coord.client.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InstancePickerTest {
  static ServiceInstance instance(String id, int weight, HealthStatus status) {
    return new ServiceInstance("api", id, "10.0.0.1", 8080, List.of(), Map.of(), weight, 1,
        status, List.of(), Duration.ZERO, Instant.EPOCH, 1, 1);
  }

  private static final ServiceInstance A = instance("a", 1, HealthStatus.PASSING);
  private static final ServiceInstance B = instance("b", 1, HealthStatus.WARNING);
  private static final ServiceInstance C = instance("c", 1, HealthStatus.PASSING);
  private static final ServiceInstance DOWN = instance("d", 100, HealthStatus.CRITICAL);

  private static List<String> picks(InstancePicker picker, List<ServiceInstance> from, int n) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(picker.pick(from).orElseThrow().id());
    }
    return ids;
  }

  @Test
  void roundRobinCyclesThroughHealthyInstancesInIdOrder() {
    assertThat(picks(InstancePicker.roundRobin(), List.of(C, DOWN, A, B), 7))
        .containsExactly("a", "b", "c", "a", "b", "c", "a");
  }

  @Test
  void weightedRoundRobinIsProportionalAndSmooth() {
    List<ServiceInstance> from = List.of(instance("x", 5, HealthStatus.PASSING),
        instance("y", 3, HealthStatus.PASSING), instance("z", 2, HealthStatus.PASSING), DOWN);
    InstancePicker picker = InstancePicker.weightedRoundRobin();
    List<String> ids = picks(picker, from, 10_000);
    Map<String, Integer> counts = new HashMap<>();
    ids.forEach(id -> counts.merge(id, 1, Integer::sum));
    assertThat(counts).containsExactlyInAnyOrderEntriesOf(Map.of("x", 5000, "y", 3000,
        "z", 2000));
    // Every window of 10 consecutive picks (the total weight) has the exact shares, and the
    // heaviest instance never goes three times in a row.
    for (int start = 0; start + 10 <= ids.size(); start += 10) {
      List<String> window = ids.subList(start, start + 10);
      assertThat(window.stream().filter("x"::equals).count()).isEqualTo(5);
      assertThat(window.stream().filter("y"::equals).count()).isEqualTo(3);
    }
    assertThat(String.join("", ids)).doesNotContain("xxx");
  }

  @Test
  void weightedRoundRobinFollowsChangesOfTheSet() {
    InstancePicker picker = InstancePicker.weightedRoundRobin();
    ServiceInstance heavy = instance("h", 3, HealthStatus.PASSING);
    picks(picker, List.of(heavy, A), 5);
    List<String> later = picks(picker, List.of(A, C), 4);
    assertThat(later).containsExactlyInAnyOrder("a", "a", "c", "c");
  }

  @Test
  void leastConnectionsPrefersTheLeastLoaded() {
    LeastConnectionsPicker picker = InstancePicker.leastConnections();
    List<ServiceInstance> from = List.of(A, B, C, DOWN);
    LeastConnectionsPicker.Lease first = picker.acquire(from).orElseThrow();
    LeastConnectionsPicker.Lease second = picker.acquire(from).orElseThrow();
    LeastConnectionsPicker.Lease third = picker.acquire(from).orElseThrow();
    assertThat(List.of(first.instance().id(), second.instance().id(), third.instance().id()))
        .containsExactly("a", "b", "c");
    LeastConnectionsPicker.Lease fourth = picker.acquire(from).orElseThrow();
    assertThat(fourth.instance().id()).isEqualTo("a");
    second.close();
    second.close();
    assertThat(picker.inUse(B)).isZero();
    assertThat(picker.pick(from)).contains(B);
    picker.started(B);
    picker.started(B);
    first.close();
    fourth.close();
    assertThat(picker.acquire(from).orElseThrow().instance().id()).isEqualTo("a");
    assertThat(picker.inUse(DOWN)).isZero();
  }

  @Test
  void randomPicksOnlyHealthyInstancesAndAllOfThem() {
    List<String> ids = picks(InstancePicker.random(), List.of(A, DOWN, C), 300);
    assertThat(ids).doesNotContain("d").contains("a", "c");
  }

  @Test
  void noHealthyInstanceMeansNoPick() {
    for (InstancePicker picker : List.of(InstancePicker.roundRobin(),
        InstancePicker.weightedRoundRobin(), InstancePicker.random(),
        InstancePicker.leastConnections())) {
      assertThat(picker.pick(List.of(DOWN))).isEqualTo(Optional.empty());
      assertThat(picker.pick(List.of())).isEmpty();
    }
  }
}
