package io.coord.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.proto.v1.Check;
import io.coord.proto.v1.CheckDefinition;
import io.coord.proto.v1.HealthStatus;
import io.coord.proto.v1.Instance;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.TcpCheck;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.LeaderDecisionResult;
import io.coord.server.kv.KvEvent;
import io.coord.server.time.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The leader's check runner, with a scripted prober and a manual monotonic clock. */
class HealthCheckRunnerTest {
  private final ManualClock clock = new ManualClock();
  private final List<Command> proposed = new CopyOnWriteArrayList<>();
  private final AtomicReference<HealthStatus> outcome =
      new AtomicReference<>(HealthStatus.CRITICAL);
  private final AtomicInteger probes = new AtomicInteger();
  private HealthCheckRunner runner;

  private static Instance instance(HealthStatus status, int threshold, long deregisterAfterMs) {
    CheckDefinition definition = CheckDefinition.newBuilder().setName("tcp")
        .setTcp(TcpCheck.newBuilder().setAddress("127.0.0.1:1")).setIntervalMs(100)
        .setTimeoutMs(100).setFailureThreshold(threshold).build();
    return Instance.newBuilder().setService("api").setId("a1").setRegistrationRevision(5)
        .setDeregisterCriticalAfterMs(deregisterAfterMs).setStatus(status)
        .addChecks(Check.newBuilder().setDefinition(definition).setStatus(status)).build();
  }

  private void start(Instance instance) {
    runner = new HealthCheckRunner(clock,
        () -> new HealthCheckRunner.Loaded(10, List.of(instance)),
        command -> {
          proposed.add(command);
          return CompletableFuture.completedFuture(CommandResult.newBuilder()
              .setCheckResults(LeaderDecisionResult.newBuilder().setApplied(1)).build());
        },
        check -> {
          probes.incrementAndGet();
          return CompletableFuture.completedFuture(new ProbeOutcome(outcome.get(), "scripted"));
        }, () -> { }, "test");
    runner.onLeaderReady(3);
  }

  @AfterEach
  void close() {
    runner.close();
  }

  private static KvEvent put(Instance instance, long revision) {
    return new KvEvent(KvEvent.Type.PUT, KeyValue.newBuilder()
        .setKey(com.google.protobuf.ByteString.copyFrom(ServiceKeys.instance("api", "a1")))
        .setValue(instance.toByteString()).setModRevision(revision).build(), null);
  }

  private List<Command> results() {
    return proposed.stream().filter(Command::hasCheckResults).toList();
  }

  @Test
  void aStatusChangeIsProposedOnceAfterTheThresholdWithTheLeadersTerm() {
    start(instance(HealthStatus.PASSING, 3, 0));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !results().isEmpty());
    assertThat(probes.get()).isGreaterThanOrEqualTo(3);
    Command first = results().get(0);
    assertThat(first.getCheckResults().getTerm()).isEqualTo(3);
    assertThat(first.getCheckResults().getResults(0).getStatus())
        .isEqualTo(HealthStatus.CRITICAL);
    assertThat(first.getCheckResults().getResults(0).getRegistrationRevision()).isEqualTo(5);

    // Further failing probes propose nothing: the change is on its way.
    int seen = probes.get();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() >= seen + 5);
    assertThat(results()).hasSize(1);

    // Committed, then passing again: one more proposal.
    runner.onApplied(11, 11, List.of(put(instance(HealthStatus.CRITICAL, 3, 0), 11)));
    outcome.set(HealthStatus.PASSING);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> results().size() == 2);
    assertThat(results().get(1).getCheckResults().getResults(0).getStatus())
        .isEqualTo(HealthStatus.PASSING);
  }

  @Test
  void aFormerLeaderStopsProbing() {
    outcome.set(HealthStatus.PASSING);
    start(instance(HealthStatus.PASSING, 1, 0));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> probes.get() >= 2);
    runner.onLeadershipLost();
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> runner.runningChecks() == 0);
    int after = probes.get();
    // A probe under way when leadership went may still finish; none starts after that.
    Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
        .until(() -> probes.get() <= after + 1);
    assertThat(proposed).isEmpty();
  }

  @Test
  void anInstanceCriticalForItsDeregisterAfterIsDeregisteredByTheLeadersClock() {
    start(instance(HealthStatus.CRITICAL, 1, 1000));
    Awaitility.await().atMost(Duration.ofSeconds(2)).until(() -> probes.get() >= 3);
    assertThat(proposed.stream().filter(Command::hasDeregisterCritical)).isEmpty();
    clock.advance(Duration.ofMillis(1000));
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() ->
        proposed.stream().anyMatch(Command::hasDeregisterCritical));
    Command deregister = proposed.stream().filter(Command::hasDeregisterCritical).findFirst()
        .orElseThrow();
    assertThat(deregister.getDeregisterCritical().getTerm()).isEqualTo(3);
    assertThat(deregister.getDeregisterCritical().getRegistrationRevision()).isEqualTo(5);
  }
}
