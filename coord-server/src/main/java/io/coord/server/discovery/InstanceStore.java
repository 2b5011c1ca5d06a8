package io.coord.server.discovery;

import io.coord.proto.v1.Check;
import io.coord.proto.v1.CheckDefinition;
import io.coord.proto.v1.DeregisterRequest;
import io.coord.proto.v1.DeregisterResponse;
import io.coord.proto.v1.ErrorReason;
import io.coord.proto.v1.HealthStatus;
import io.coord.proto.v1.Instance;
import io.coord.proto.v1.KeyValue;
import io.coord.proto.v1.RegisterRequest;
import io.coord.proto.v1.RegisterResponse;
import io.coord.proto.v1.ResponseHeader;
import io.coord.server.command.CheckResult;
import io.coord.server.command.CheckResults;
import io.coord.server.command.DeregisterCritical;
import io.coord.server.command.LeaderDecisionResult;
import io.coord.server.error.CoordError;
import io.coord.server.kv.KvWriter;
import io.coord.server.kv.SessionAttachments;
import io.coord.server.statemachine.ApplyContext;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The apply side of service discovery: registrations, deregistrations and the leader's health
 * decisions, written as reserved keys attached to the owning session (so the session's end
 * deletes them in its own revision). Deterministic: reads no clock, only the entry's leader
 * time; requests were validated and normalized before the log.
 */
public final class InstanceStore {
  /** Output of a check that has not been probed since it was (re)defined. */
  static final String NOT_CHECKED = "not checked yet";

  private final SessionAttachments sessions;

  public InstanceStore(SessionAttachments sessions) {
    this.sessions = sessions;
  }

  public RegisterResponse register(ApplyContext context, RegisterRequest request) {
    long session = request.getSession();
    if (!sessions.exists(context.txn(), session)) {
      throw sessions.missing(context.txn(), session);
    }
    byte[] key = ServiceKeys.instance(request.getService(), request.getInstanceId());
    KvWriter writer = context.newKvWriter();
    KeyValue prev = writer.current(key);
    Instance old = prev == null ? null : InstanceReader.decode(prev);
    if (prev != null && prev.getSession() != session) {
      throw registered(request.getService(), request.getInstanceId(), prev.getSession());
    }
    long revision = writer.revision();
    Map<String, Check> oldChecks = new HashMap<>();
    if (old != null) {
      old.getChecksList().forEach(c -> oldChecks.put(c.getDefinition().getName(), c));
    }
    Instance.Builder instance = Instance.newBuilder()
        .setService(request.getService())
        .setId(request.getInstanceId())
        .setAddress(request.getAddress())
        .setPort(request.getPort())
        .addAllTags(request.getTagsList())
        .putAllMetadata(request.getMetadataMap())
        .setWeight(request.getWeight())
        .setSession(session)
        .setDeregisterCriticalAfterMs(request.getDeregisterCriticalAfterMs())
        .setRegisteredAtMs(context.leaderTimeMs())
        .setRegistrationRevision(revision);
    for (CheckDefinition definition : request.getChecksList()) {
      Check kept = oldChecks.get(definition.getName());
      if (kept != null && kept.getDefinition().equals(definition)) {
        instance.addChecks(kept);
      } else {
        instance.addChecks(Check.newBuilder().setDefinition(definition)
            .setStatus(HealthStatus.CRITICAL).setOutput(NOT_CHECKED)
            .setSinceRevision(revision).setSinceMs(context.leaderTimeMs()));
      }
    }
    setStatus(instance, old, revision);
    if (prev == null) {
      sessions.attach(context.txn(), session, key);
    }
    Instance stored = instance.build();
    writer.put(key, stored.toByteString(), session, prev);
    writer.finish();
    return RegisterResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(revision))
        .setInstance(stored.toBuilder().setCreateRevision(
            prev == null ? revision : prev.getCreateRevision()).setModRevision(revision))
        .build();
  }

  public DeregisterResponse deregister(ApplyContext context, DeregisterRequest request) {
    byte[] key = ServiceKeys.instance(request.getService(), request.getInstanceId());
    KvWriter writer = context.newKvWriter();
    KeyValue prev = writer.current(key);
    if (prev == null) {
      throw notFound(request.getService(), request.getInstanceId());
    }
    if (request.getSession() != 0 && request.getSession() != prev.getSession()) {
      throw registered(request.getService(), request.getInstanceId(), prev.getSession());
    }
    remove(context, writer, prev);
    long revision = writer.finish();
    return DeregisterResponse.newBuilder()
        .setHeader(ResponseHeader.newBuilder().setRevision(revision)).build();
  }

  /** Applies the status changes of a leader's checks, all in one revision. */
  public LeaderDecisionResult checkResults(ApplyContext context, CheckResults command) {
    if (command.getTerm() != context.term()) {
      return LeaderDecisionResult.newBuilder().setStale(true).build();
    }
    KvWriter writer = context.newKvWriter();
    long revision = writer.revision();
    Map<String, List<CheckResult>> byInstance = new LinkedHashMap<>();
    for (CheckResult result : command.getResultsList()) {
      byInstance.computeIfAbsent(result.getService() + "/" + result.getInstanceId(),
          k -> new java.util.ArrayList<>()).add(result);
    }
    long applied = 0;
    for (List<CheckResult> results : byInstance.values()) {
      CheckResult first = results.get(0);
      byte[] key = ServiceKeys.instance(first.getService(), first.getInstanceId());
      KeyValue prev = writer.current(key);
      if (prev == null) {
        continue;
      }
      Instance old = InstanceReader.decode(prev);
      Instance.Builder instance = old.toBuilder().clearCreateRevision().clearModRevision();
      boolean changed = false;
      for (CheckResult result : results) {
        if (result.getRegistrationRevision() != old.getRegistrationRevision()) {
          continue;
        }
        for (int i = 0; i < instance.getChecksCount(); i++) {
          Check check = instance.getChecks(i);
          if (check.getDefinition().getName().equals(result.getCheck())
              && check.getStatus() != result.getStatus()) {
            instance.setChecks(i, check.toBuilder().setStatus(result.getStatus())
                .setOutput(result.getOutput()).setSinceRevision(revision)
                .setSinceMs(context.leaderTimeMs()));
            changed = true;
          }
        }
      }
      if (changed) {
        setStatus(instance, old, revision);
        writer.put(key, instance.build().toByteString(), prev.getSession(), prev);
        applied++;
      }
    }
    writer.finish();
    return LeaderDecisionResult.newBuilder().setApplied(applied).build();
  }

  /** Removes an instance that stayed critical too long, if it still is. */
  public LeaderDecisionResult deregisterCritical(ApplyContext context,
      DeregisterCritical command) {
    if (command.getTerm() != context.term()) {
      return LeaderDecisionResult.newBuilder().setStale(true).build();
    }
    KvWriter writer = context.newKvWriter();
    KeyValue prev = writer.current(ServiceKeys.instance(command.getService(),
        command.getInstanceId()));
    if (prev == null) {
      return LeaderDecisionResult.getDefaultInstance();
    }
    Instance instance = InstanceReader.decode(prev);
    if (instance.getRegistrationRevision() != command.getRegistrationRevision()
        || instance.getStatus() != HealthStatus.CRITICAL) {
      return LeaderDecisionResult.getDefaultInstance();
    }
    remove(context, writer, prev);
    writer.finish();
    return LeaderDecisionResult.newBuilder().setApplied(1).build();
  }

  private void remove(ApplyContext context, KvWriter writer, KeyValue prev) {
    sessions.detach(context.txn(), prev.getSession(), prev.getKey().toByteArray());
    writer.delete(prev);
  }

  private static void setStatus(Instance.Builder instance, Instance old, long revision) {
    HealthStatus status = Health.aggregate(instance.getChecksList());
    instance.setStatus(status);
    instance.setStatusSinceRevision(old != null && old.getStatus() == status
        ? old.getStatusSinceRevision() : revision);
  }

  static CoordError registered(String service, String id, long owner) {
    return new CoordError(ErrorReason.INSTANCE_REGISTERED, "instance " + id + " of service "
        + service + " is registered by session " + owner + ", which owns it until it ends or "
        + "the instance is deregistered",
        Map.of("service", service, "instance_id", id, "session", Long.toString(owner)));
  }

  static CoordError notFound(String service, String id) {
    return new CoordError(ErrorReason.INSTANCE_NOT_FOUND, "instance " + id + " of service "
        + service + " is not registered", Map.of("service", service, "instance_id", id));
  }
}
