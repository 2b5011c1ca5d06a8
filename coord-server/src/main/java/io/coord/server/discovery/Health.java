package io.coord.server.discovery;

import io.coord.proto.v1.Check;
import io.coord.proto.v1.HealthStatus;
import io.coord.proto.v1.Instance;
import java.util.List;

/** The health rules shared by apply, lookups, DNS and the check runner. */
public final class Health {
  private Health() {}

  /** CRITICAL if any check is, else WARNING if any is, else PASSING (also with no checks). */
  public static HealthStatus aggregate(List<Check> checks) {
    HealthStatus status = HealthStatus.PASSING;
    for (Check check : checks) {
      if (check.getStatus() == HealthStatus.CRITICAL) {
        return HealthStatus.CRITICAL;
      }
      if (check.getStatus() == HealthStatus.WARNING) {
        status = HealthStatus.WARNING;
      }
    }
    return status;
  }

  /** Healthy means PASSING or WARNING: the instance may get traffic. */
  public static boolean healthy(Instance instance) {
    return instance.getStatus() == HealthStatus.PASSING
        || instance.getStatus() == HealthStatus.WARNING;
  }
}
