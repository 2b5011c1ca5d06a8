package io.coord.bench;

import java.time.Duration;
import java.util.List;

/**
 * Everything a matrix run needs besides the driver.
 *
 * @param workloads the workloads, in order
 * @param concurrencies operations in flight per point
 * @param jvmWarmup warm-up of this JVM (and the servers) before the first point, no rows
 * @param pointWarmup warm-up of each point, discarded
 * @param window measured window of each point
 * @param maxOps most operations issued per point (the count bound)
 * @param drainTimeout longest wait for in-flight operations after a window
 * @param valueSize bytes per written value
 * @param readKeys keys preloaded for the read workloads
 * @param watchWriters puts in flight during the watch workload
 * @param gateBusyPct idle gate threshold, % of one core (negative: no gate)
 * @param gateMaxWait longest idle-gate wait per point
 * @param runId namespace of this run's keys
 */
public record RunSettings(List<Workload> workloads, List<Integer> concurrencies,
    Duration jvmWarmup, Duration pointWarmup, Duration window, long maxOps,
    Duration drainTimeout, int valueSize, int readKeys, int watchWriters, double gateBusyPct,
    Duration gateMaxWait, String runId) {}
