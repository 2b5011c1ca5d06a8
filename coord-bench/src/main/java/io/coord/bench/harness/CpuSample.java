package io.coord.bench.harness;

import java.util.List;

/**
 * CPU used over one window, in percent of one core (2 busy cores = 200).
 *
 * @param serversPct the servers under test, summed (members that vanished count until they
 *     vanished)
 * @param clientPct this benchmark's JVM
 * @param machinePct everything on the machine
 * @param otherPct machine minus servers minus client (co-tenants, kernel I/O threads)
 * @param serverPids the server processes that were sampled
 */
public record CpuSample(double serversPct, double clientPct, double machinePct,
    double otherPct, List<Long> serverPids) {}
