package io.coord.server.metrics;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * The metrics of one member, exposed on {@code /metrics}. Every member has its own registry
 * (several members may share a JVM in tests). Features add gauges with
 * {@link #gauge(String, String, DoubleSupplier)}; the gauges named in {@link #FEATURE_GAUGES}
 * exist from the start and read 0 until their feature binds a supplier.
 */
public final class CoordMetrics {
  /** Sessions, watches and locks: registered up front so dashboards find them. */
  public static final Map<String, String> FEATURE_GAUGES = Map.of(
      "coord_server_sessions_active", "Sessions currently alive.",
      "coord_server_watchers_active", "Watches currently open on this member.",
      "coord_server_locks_held", "Locks currently held.",
      "coord_server_lock_waiters", "Sessions currently waiting for a lock.");

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Map<String, AtomicReference<DoubleSupplier>> gauges = new ConcurrentHashMap<>();

  public CoordMetrics() {
    JvmMetrics.builder().register(registry);
    FEATURE_GAUGES.forEach((name, help) -> gauge(name, help, () -> 0));
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  /**
   * Exposes {@code supplier} as the gauge {@code name}, read at every scrape. Binding a name
   * again replaces its supplier (the help text stays the first one).
   */
  public void gauge(String name, String help, DoubleSupplier supplier) {
    gauges.compute(name, (n, existing) -> {
      if (existing != null) {
        existing.set(supplier);
        return existing;
      }
      AtomicReference<DoubleSupplier> current = new AtomicReference<>(supplier);
      GaugeWithCallback.builder().name(name).help(help)
          .callback(callback -> callback.call(read(current.get())))
          .register(registry);
      return current;
    });
  }

  /** A supplier that fails (the store is closed, the member is stopping) reads as NaN. */
  static double read(DoubleSupplier supplier) {
    try {
      return supplier.getAsDouble();
    } catch (RuntimeException unavailable) {
      return Double.NaN;
    }
  }
}
