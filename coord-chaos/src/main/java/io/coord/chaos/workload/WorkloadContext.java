package io.coord.chaos.workload;

import io.coord.chaos.run.Progress;
import io.coord.client.CoordClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What workloads share in a run: the recorder, the members' endpoints, the run's seed, unique
 * values, and the time workers must stop by.
 */
public final class WorkloadContext {
  /** Longest a client request may take, failovers included. */
  static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
  /** Longest one attempt on one member may take before the client fails over. */
  static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(1);
  /**
   * An impatient client's attempt timeout: shorter than any commit, so each attempt gives up
   * after its request reached a member and the client retries the same write elsewhere.
   */
  static final Duration IMPATIENT_ATTEMPT_TIMEOUT = Duration.ofMillis(1);
  /** An impatient client's request timeout: a handful of attempts. */
  static final Duration IMPATIENT_REQUEST_TIMEOUT = Duration.ofMillis(300);

  private final Recorder recorder;
  private final List<String> endpoints;
  private final long seed;
  private final Progress progress;
  private final long endNanos;
  private final AtomicLong values = new AtomicLong();
  private final AtomicLong seeds = new AtomicLong();

  /**
   * @param endNanos workers stop starting operations at this time (System.nanoTime)
   */
  public WorkloadContext(Recorder recorder, List<String> endpoints, long seed,
      Progress progress, long endNanos) {
    this.recorder = recorder;
    this.endpoints = List.copyOf(endpoints);
    this.seed = seed;
    this.progress = progress;
    this.endNanos = endNanos;
  }

  public Recorder recorder() {
    return recorder;
  }

  public Progress progress() {
    return progress;
  }

  public long endNanos() {
    return endNanos;
  }

  /** Number of members. */
  public int members() {
    return endpoints.size();
  }

  /** A value never used before in this run. */
  public long nextValue() {
    return values.incrementAndGet();
  }

  /** A seed for one worker's random source, derived from the run's seed. */
  public long nextSeed() {
    return seed * 1_000_003L + seeds.incrementAndGet();
  }

  /** Every endpoint, starting with member {@code first} (1-based) and wrapping around. */
  public List<String> rotated(int first) {
    List<String> order = new ArrayList<>();
    for (int i = 0; i < endpoints.size(); i++) {
      order.add(endpoints.get((first - 1 + i) % endpoints.size()));
    }
    return order;
  }

  /** The endpoint of member {@code member} (1-based) only. */
  public List<String> only(int member) {
    return List.of(endpoints.get(member - 1));
  }

  /** A client of {@code endpoints} with the workload timeouts. */
  public CoordClient client(List<String> endpoints) {
    return CoordClient.builder().endpoints(endpoints).requestTimeout(REQUEST_TIMEOUT)
        .attemptTimeout(ATTEMPT_TIMEOUT).build();
  }

  /**
   * A client of {@code endpoints} that gives up every attempt before its answer can arrive:
   * each write it sends is retried, under its one request id, on member after member (a
   * response lost or late, made certain), until the write fails with an unknown outcome.
   */
  public CoordClient impatientClient(List<String> endpoints) {
    return CoordClient.builder().endpoints(endpoints).requestTimeout(IMPATIENT_REQUEST_TIMEOUT)
        .attemptTimeout(IMPATIENT_ATTEMPT_TIMEOUT).build();
  }
}
