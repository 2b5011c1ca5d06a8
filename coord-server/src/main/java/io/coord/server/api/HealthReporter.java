package io.coord.server.api;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Keeps gRPC health ({@code grpc.health.v1}) in step with the member: SERVING while it knows a
 * leader, NOT_SERVING without one and once stopping, for the whole server ("") and for each
 * service. Ratis reports a new leader but not the loss of one, so it looks four times a second.
 */
public final class HealthReporter implements AutoCloseable {
  private final HealthStatusManager health;
  private final List<String> services;
  private final BooleanSupplier leaderKnown;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "coord-grpc-health");
    t.setDaemon(true);
    return t;
  });
  private ServingStatus last;

  public HealthReporter(HealthStatusManager health, List<String> services,
      BooleanSupplier leaderKnown) {
    this.health = health;
    this.services = services;
    this.leaderKnown = leaderKnown;
  }

  public void start() {
    update();
    timer.scheduleWithFixedDelay(this::update, 250, 250, TimeUnit.MILLISECONDS);
  }

  private synchronized void update() {
    boolean serving;
    try {
      serving = leaderKnown.getAsBoolean();
    } catch (RuntimeException notRunning) {
      serving = false;
    }
    set(serving ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
  }

  private void set(ServingStatus status) {
    if (status == last) {
      return;
    }
    last = status;
    health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, status);
    for (String service : services) {
      health.setStatus(service, status);
    }
  }

  @Override
  public synchronized void close() {
    timer.shutdownNow();
    set(ServingStatus.NOT_SERVING);
  }
}
