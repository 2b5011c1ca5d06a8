package io.coord.server.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.coord.proto.v1.CheckDefinition;
import io.coord.proto.v1.DeregisterRequest;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.HealthStatus;
import io.coord.proto.v1.HttpCheck;
import io.coord.proto.v1.Instance;
import io.coord.proto.v1.RegisterRequest;
import io.coord.server.command.CheckResult;
import io.coord.server.command.CheckResults;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.DeregisterCritical;
import io.coord.server.session.SessionReader;
import io.coord.server.statemachine.StateMachineFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The apply side of discovery, through the state machine. */
public class InstanceStoreTest {
  @TempDir
  Path dir;
  private StateMachineFixture fixture;

  @BeforeEach
  void open() {
    fixture = new StateMachineFixture(dir);
  }

  @AfterEach
  void close() {
    fixture.close();
  }

  public static Command register(String service, String id, long session, CheckDefinition... checks) {
    RegisterRequest.Builder request = RegisterRequest.newBuilder().setService(service)
        .setInstanceId(id).setAddress("127.0.0.1").setPort(8080).setWeight(1)
        .setSession(session);
    for (CheckDefinition check : checks) {
      request.addChecks(check);
    }
    return Command.newBuilder().setRegisterInstance(request).build();
  }

  public static CheckDefinition http(String name) {
    return CheckDefinition.newBuilder().setName(name)
        .setHttp(HttpCheck.newBuilder().setUrl("http://127.0.0.1:1/health"))
        .setIntervalMs(1000).setTimeoutMs(500).setFailureThreshold(1).build();
  }

  public static Command result(long term, String service, String id, long registration, String check,
      HealthStatus status) {
    return Command.newBuilder().setCheckResults(CheckResults.newBuilder().setTerm(term)
        .addResults(CheckResult.newBuilder().setService(service).setInstanceId(id)
            .setRegistrationRevision(registration).setCheck(check).setStatus(status)
            .setOutput("HTTP " + status))).build();
  }

  private long grant() {
    return fixture.applyOne(StateMachineFixture.grant(10_000)).getGrantSession().getId();
  }

  private int attachedKeys(long session) {
    return fixture.stateMachine().read((view, meta) -> SessionReader.keys(view, session)).size();
  }

  private List<Instance> instances(String service) {
    return fixture.stateMachine().read((view, meta) -> InstanceReader.service(view, service));
  }

  @Test
  void anInstanceIsOwnedByItsSessionAndGoesInTheRevisionThatEndsIt() {
    long session = grant();
    CommandResult registered = fixture.applyOne(register("api", "a1", session));
    assertThat(registered.hasRejection()).isFalse();
    fixture.applyOne(StateMachineFixture.put("user/key", "v", session));
    Instance stored = registered.getRegisterInstance().getInstance();
    assertThat(stored.getStatus()).isEqualTo(HealthStatus.PASSING);
    assertThat(stored.getSession()).isEqualTo(session);
    assertThat(instances("api")).extracting(Instance::getId).containsExactly("a1");

    CommandResult revoked = fixture.applyOne(StateMachineFixture.revoke(session));
    assertThat(revoked.getRevokeSession().getKeysDeleted()).isEqualTo(2);
    assertThat(instances("api")).isEmpty();
    assertThat(fixture.get("user/key").getKvsCount()).isZero();
  }

  @Test
  void anotherSessionCannotTakeAnInstanceOverWhileItsOwnerLives() {
    long owner = grant();
    long other = grant();
    fixture.applyOne(register("api", "a1", owner));
    CommandResult refused = fixture.applyOne(register("api", "a1", other));
    assertThat(refused.getRejection().getReason())
        .isEqualTo(ErrorReason.INSTANCE_REGISTERED_VALUE);
    assertThat(refused.getRejection().getMessage()).contains("session " + owner);

    fixture.applyOne(StateMachineFixture.revoke(owner));
    assertThat(fixture.applyOne(register("api", "a1", other)).hasRejection()).isFalse();
    assertThat(instances("api").get(0).getSession()).isEqualTo(other);
  }

  @Test
  void registeringWithAMissingSessionIsRefused() {
    CommandResult refused = fixture.applyOne(register("api", "a1", 42));
    assertThat(refused.getRejection().getReason()).isEqualTo(ErrorReason.SESSION_NOT_FOUND_VALUE);
  }

  @Test
  void checksStartCriticalAndChangeOnlyWithResultsOfTheEntrysTerm() {
    long session = grant();
    Instance stored = fixture.applyOne(register("api", "a1", session, http("web")))
        .getRegisterInstance().getInstance();
    assertThat(stored.getStatus()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(stored.getChecks(0).getOutput()).isEqualTo(InstanceStore.NOT_CHECKED);
    long registration = stored.getRegistrationRevision();

    CommandResult stale = fixture.applyOne(result(fixture.term() - 1, "api", "a1", registration,
        "web", HealthStatus.PASSING));
    assertThat(stale.getCheckResults().getStale()).isTrue();
    assertThat(instances("api").get(0).getStatus()).isEqualTo(HealthStatus.CRITICAL);

    long before = fixture.stateMachine().revision();
    fixture.applyOne(result(fixture.term(), "api", "a1", registration, "web",
        HealthStatus.PASSING));
    Instance passing = instances("api").get(0);
    assertThat(passing.getStatus()).isEqualTo(HealthStatus.PASSING);
    assertThat(passing.getStatusSinceRevision()).isEqualTo(before + 1);
    assertThat(passing.getChecks(0).getSinceRevision()).isEqualTo(before + 1);

    // The same status again changes nothing: no new revision.
    long now = fixture.stateMachine().revision();
    fixture.applyOne(result(fixture.term(), "api", "a1", registration, "web",
        HealthStatus.PASSING));
    assertThat(fixture.stateMachine().revision()).isEqualTo(now);

    // A result about an older registration is ignored.
    fixture.applyOne(register("api", "a1", session, http("web")));
    fixture.applyOne(result(fixture.term(), "api", "a1", registration, "web",
        HealthStatus.CRITICAL));
    assertThat(instances("api").get(0).getStatus()).isEqualTo(HealthStatus.PASSING);
  }

  @Test
  void reRegisteringKeepsTheStatusOfUnchangedChecksOnly() {
    long session = grant();
    long registration = fixture.applyOne(register("api", "a1", session, http("web")))
        .getRegisterInstance().getInstance().getRegistrationRevision();
    fixture.applyOne(result(fixture.term(), "api", "a1", registration, "web",
        HealthStatus.WARNING));
    Instance same = fixture.applyOne(register("api", "a1", session, http("web")))
        .getRegisterInstance().getInstance();
    assertThat(same.getStatus()).isEqualTo(HealthStatus.WARNING);
    Instance changed = fixture.applyOne(register("api", "a1", session,
        http("web").toBuilder().setIntervalMs(2000).build())).getRegisterInstance()
        .getInstance();
    assertThat(changed.getStatus()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(changed.getCreateRevision()).isEqualTo(same.getCreateRevision());
  }

  @Test
  void deregisterDetachesFromTheSession() {
    long session = grant();
    fixture.applyOne(register("api", "a1", session));
    CommandResult done = fixture.applyOne(Command.newBuilder().setDeregisterInstance(
        DeregisterRequest.newBuilder().setService("api").setInstanceId("a1")).build());
    assertThat(done.hasRejection()).isFalse();
    assertThat(instances("api")).isEmpty();
    assertThat(attachedKeys(session)).isZero();
    CommandResult missing = fixture.applyOne(Command.newBuilder().setDeregisterInstance(
        DeregisterRequest.newBuilder().setService("api").setInstanceId("a1")).build());
    assertThat(missing.getRejection().getReason())
        .isEqualTo(ErrorReason.INSTANCE_NOT_FOUND_VALUE);
  }

  @Test
  void deregisterCriticalRemovesOnlyAStillCriticalInstanceOfTheSameRegistration() {
    long session = grant();
    long registration = fixture.applyOne(register("api", "a1", session, http("web")))
        .getRegisterInstance().getInstance().getRegistrationRevision();
    Command deregister = Command.newBuilder().setDeregisterCritical(DeregisterCritical
        .newBuilder().setTerm(fixture.term()).setService("api").setInstanceId("a1")
        .setRegistrationRevision(registration)).build();
    fixture.applyOne(result(fixture.term(), "api", "a1", registration, "web",
        HealthStatus.PASSING));
    assertThat(fixture.applyOne(deregister).getDeregisterCritical().getApplied()).isZero();
    fixture.applyOne(result(fixture.term(), "api", "a1", registration, "web",
        HealthStatus.CRITICAL));
    Command stale = deregister.toBuilder().setDeregisterCritical(deregister
        .getDeregisterCritical().toBuilder().setTerm(fixture.term() + 1)).build();
    assertThat(fixture.applyOne(stale).getDeregisterCritical().getStale()).isTrue();
    assertThat(fixture.applyOne(deregister).getDeregisterCritical().getApplied()).isEqualTo(1);
    assertThat(instances("api")).isEmpty();
    assertThat(attachedKeys(session)).isZero();
  }

  @Test
  void instanceKeysAreReservedAndParseBack() {
    byte[] key = ServiceKeys.instance("api", "a-1:8080");
    assertThat(io.coord.server.kv.SystemKeys.isReserved(key)).isTrue();
    assertThat(ServiceKeys.parse(key)).contains(new ServiceKeys.Name("api", "a-1:8080"));
    assertThat(ServiceKeys.service("api").contains(key)).isTrue();
    assertThat(ServiceKeys.service("ap").contains(key)).isFalse();
  }
}
