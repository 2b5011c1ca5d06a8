package io.coord.client.discovery;

import java.time.Instant;

/**
 * A check of a registered instance with its latest result.
 *
 * @param spec the check as the server normalized it (defaults filled in)
 * @param status its status
 * @param output what the last status change was based on
 * @param sinceRevision revision at which it got this status
 * @param since the leader's time of that revision
 */
public record CheckState(CheckSpec spec, HealthStatus status, String output, long sinceRevision,
    Instant since) {
  static CheckState of(io.coord.proto.v1.Check check) {
    return new CheckState(CheckSpec.of(check.getDefinition()),
        HealthStatus.of(check.getStatus()), check.getOutput(), check.getSinceRevision(),
        Instant.ofEpochMilli(check.getSinceMs()));
  }
}
