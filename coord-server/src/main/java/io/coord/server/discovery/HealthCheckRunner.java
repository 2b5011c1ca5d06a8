package io.coord.server.discovery;

import io.coord.proto.v1.Check;
import io.coord.proto.v1.CheckDefinition;
import io.coord.proto.v1.HealthStatus;
import io.coord.proto.v1.Instance;
import io.coord.server.command.CheckResult;
import io.coord.server.command.CheckResults;
import io.coord.server.command.Command;
import io.coord.server.command.CommandResult;
import io.coord.server.command.DeregisterCritical;
import io.coord.server.kv.KvEvent;
import io.coord.server.raft.LeadershipListener;
import io.coord.server.statemachine.ApplyListener;
import io.coord.server.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the active health checks of every registered instance, on the leader only. Each check is
 * probed every interval (never two probes of one check at once); consecutive failures are
 * counted against the check's threshold; a check-result command is proposed only when the
 * observed status differs from the committed one, carrying this leader's term. Once an
 * instance has been CRITICAL for its {@code deregister_critical_after}, measured on this
 * leader's monotonic clock from when it saw the status become CRITICAL (a new leader starts
 * that clock when it takes over), the leader proposes its deregistration.
 *
 * <p>It learns of registrations, results and removals from applied key events (every change
 * of an instance is a change of its reserved key), and loads every instance when it becomes
 * leader. All its state lives on one thread; probes run asynchronously elsewhere.
 */
public final class HealthCheckRunner implements LeadershipListener, ApplyListener,
    AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HealthCheckRunner.class);
  /** How often the deregister-critical deadlines are checked. */
  static final long TICK_MS = 200;
  /** A deregistration whose proposal did not take effect is proposed again after this long. */
  static final long REPROPOSE_AFTER_MS = 2000;

  /** The instances in the committed state, and that state's revision. */
  public record Loaded(long revision, List<Instance> instances) {}

  private final Clock clock;
  private final Supplier<Loaded> load;
  private final Function<Command, CompletableFuture<CommandResult>> propose;
  private final Prober prober;
  private final Runnable onLost;
  private final ScheduledExecutorService thread;

  /** Set by the leadership calls before they are handled: whether applied events matter. */
  private volatile boolean wanted;
  // Touched on the runner thread only.
  private boolean active;
  private long term;
  private long generation;
  private long loadedRevision;
  private final Map<String, Tracked> instances = new HashMap<>();
  private ScheduledFuture<?> ticking;

  /**
   * @param load reads every instance from the committed state
   * @param propose proposes a command through Raft
   * @param onLost runs when this member stops running checks (to release probe resources)
   */
  public HealthCheckRunner(Clock clock, Supplier<Loaded> load,
      Function<Command, CompletableFuture<CommandResult>> propose, Prober prober,
      Runnable onLost, String memberName) {
    this.clock = clock;
    this.load = load;
    this.propose = propose;
    this.prober = prober;
    this.onLost = onLost;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "coord-health-checks-" + memberName);
      t.setDaemon(true);
      return t;
    });
  }

  /** One instance as the runner tracks it. */
  private final class Tracked {
    Instance instance;
    final Map<String, CheckRun> checks = new HashMap<>();
    long criticalSinceNanos;
    boolean critical;
    long deregisterProposedAtNanos;
    boolean deregisterProposed;
  }

  /** One check's probing and bookkeeping. */
  private final class CheckRun {
    final Tracked owner;
    final CheckDefinition definition;
    final long runGeneration = generation;
    HealthStatus committed;
    HealthStatus observed;
    String output = "";
    int failures;
    boolean proposing;
    HealthStatus proposed;
    boolean cancelled;
    ScheduledFuture<?> next;

    CheckRun(Tracked owner, CheckDefinition definition, HealthStatus committed) {
      this.owner = owner;
      this.definition = definition;
      this.committed = committed;
    }
  }

  // --- leadership ------------------------------------------------------------------------------

  @Override
  public void onLeaderReady(long leaderTerm) {
    wanted = true;
    post(() -> takeOver(leaderTerm));
  }

  @Override
  public void onLeadershipLost() {
    wanted = false;
    post(this::stop);
  }

  private void takeOver(long leaderTerm) {
    stop();
    Loaded loaded;
    try {
      loaded = load.get();
    } catch (RuntimeException e) {
      LOG.warn("cannot load service instances as new leader ({}); not running checks",
          e.toString());
      return;
    }
    active = true;
    term = leaderTerm;
    loadedRevision = loaded.revision();
    loaded.instances().forEach(this::upsert);
    ticking = thread.scheduleWithFixedDelay(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
    long checks = instances.values().stream().mapToLong(t -> t.checks.size()).sum();
    LOG.info("running {} health checks of {} instances as leader of term {}", checks,
        instances.size(), leaderTerm);
  }

  private void stop() {
    if (!active) {
      return;
    }
    active = false;
    generation++;
    for (Tracked tracked : instances.values()) {
      tracked.checks.values().forEach(this::cancel);
    }
    instances.clear();
    if (ticking != null) {
      ticking.cancel(false);
      ticking = null;
    }
    onLost.run();
  }

  // --- following the state ---------------------------------------------------------------------

  @Override
  public void onApplied(long index, long revision, List<KvEvent> events) {
    if (!wanted) {
      return;
    }
    List<KvEvent> ours = null;
    for (KvEvent event : events) {
      if (ServiceKeys.isInstance(event.kv().getKey().toByteArray())) {
        if (ours == null) {
          ours = new ArrayList<>();
        }
        ours.add(event);
      }
    }
    if (ours != null) {
      List<KvEvent> changes = ours;
      post(() -> applied(changes));
    }
  }

  @Override
  public void onStateReplaced(long index, long revision) {
    post(() -> {
      if (active) {
        takeOver(term);
      }
    });
  }

  private void applied(List<KvEvent> events) {
    if (!active) {
      return;
    }
    for (KvEvent event : events) {
      if (event.revision() <= loadedRevision) {
        continue;
      }
      if (event.type() == KvEvent.Type.PUT) {
        upsert(InstanceReader.decode(event.kv()));
      } else {
        ServiceKeys.parse(event.kv().getKey().toByteArray()).ifPresent(name -> {
          Tracked gone = instances.remove(name.toString());
          if (gone != null) {
            gone.checks.values().forEach(this::cancel);
          }
        });
      }
    }
  }

  private void upsert(Instance instance) {
    String key = instance.getService() + "/" + instance.getId();
    Tracked tracked = instances.computeIfAbsent(key, k -> new Tracked());
    tracked.instance = instance;
    Map<String, CheckRun> previous = new HashMap<>(tracked.checks);
    tracked.checks.clear();
    for (Check check : instance.getChecksList()) {
      String name = check.getDefinition().getName();
      CheckRun run = previous.remove(name);
      if (run != null && run.definition.equals(check.getDefinition())) {
        run.committed = check.getStatus();
        run.proposed = null;
        tracked.checks.put(name, run);
      } else {
        if (run != null) {
          cancel(run);
        }
        CheckRun fresh = new CheckRun(tracked, check.getDefinition(), check.getStatus());
        tracked.checks.put(name, fresh);
        schedule(fresh, 0);
      }
    }
    previous.values().forEach(this::cancel);
    boolean critical = instance.getStatus() == HealthStatus.CRITICAL;
    if (critical && !tracked.critical) {
      tracked.criticalSinceNanos = clock.monotonicNanos();
      tracked.deregisterProposed = false;
    }
    tracked.critical = critical;
  }

  // --- probing ---------------------------------------------------------------------------------

  private void schedule(CheckRun run, long delayMs) {
    try {
      run.next = thread.schedule(() -> probe(run), delayMs, TimeUnit.MILLISECONDS);
    } catch (RejectedExecutionException stopping) {
      run.cancelled = true;
    }
  }

  private void cancel(CheckRun run) {
    run.cancelled = true;
    if (run.next != null) {
      run.next.cancel(false);
    }
  }

  private void probe(CheckRun run) {
    if (run.cancelled || !active || run.runGeneration != generation) {
      return;
    }
    CompletableFuture<ProbeOutcome> outcome;
    try {
      outcome = prober.probe(run.definition);
    } catch (RuntimeException e) {
      outcome = CompletableFuture.completedFuture(ProbeOutcome.critical(e.toString()));
    }
    outcome.whenComplete((result, error) -> post(() -> observed(run,
        error != null ? ProbeOutcome.critical(error.toString()) : result)));
  }

  private void observed(CheckRun run, ProbeOutcome outcome) {
    if (run.cancelled || !active || run.runGeneration != generation) {
      return;
    }
    LOG.debug("probe of {}/{} {}: {} ({})", run.owner.instance.getService(),
        run.owner.instance.getId(), run.definition.getName(), outcome.status(), outcome.output());
    if (outcome.status() == HealthStatus.CRITICAL) {
      run.failures++;
      if (run.failures >= run.definition.getFailureThreshold()) {
        run.observed = HealthStatus.CRITICAL;
        run.output = outcome.output();
      }
    } else {
      run.failures = 0;
      run.observed = outcome.status();
      run.output = outcome.output();
    }
    proposeChanges(run.owner);
    schedule(run, run.definition.getIntervalMs());
  }

  /** Proposes the checks of one instance whose observed status differs from the committed. */
  private void proposeChanges(Tracked tracked) {
    List<CheckRun> changed = new ArrayList<>();
    for (CheckRun run : tracked.checks.values()) {
      if (run.observed != null && run.observed != run.committed && !run.proposing
          && run.observed != run.proposed) {
        changed.add(run);
      }
    }
    if (changed.isEmpty()) {
      return;
    }
    Instance instance = tracked.instance;
    CheckResults.Builder results = CheckResults.newBuilder().setTerm(term);
    for (CheckRun run : changed) {
      run.proposing = true;
      results.addResults(CheckResult.newBuilder()
          .setService(instance.getService())
          .setInstanceId(instance.getId())
          .setRegistrationRevision(instance.getRegistrationRevision())
          .setCheck(run.definition.getName())
          .setStatus(run.observed)
          .setOutput(run.output));
    }
    LOG.info("health of {}/{} changed: {}", instance.getService(), instance.getId(),
        changed.stream().map(r -> r.definition.getName() + " " + r.committed + " -> "
            + r.observed + " (" + r.output + ")").toList());
    long proposingGeneration = generation;
    submit(Command.newBuilder().setCheckResults(results).build()).whenComplete((r, error) ->
        post(() -> {
          if (proposingGeneration != generation) {
            return;
          }
          boolean landed = error == null && !r.getCheckResults().getStale()
              && r.getCheckResults().getApplied() > 0;
          for (int i = 0; i < changed.size(); i++) {
            CheckRun run = changed.get(i);
            run.proposing = false;
            run.proposed = landed ? results.getResults(i).getStatus() : null;
          }
          if (error != null) {
            LOG.warn("proposing check results of {}/{} failed, will retry: {}",
                instance.getService(), instance.getId(), error.toString());
          }
        }));
  }

  // --- deregistering critical instances --------------------------------------------------------

  private void tick() {
    if (!active) {
      return;
    }
    long now = clock.monotonicNanos();
    for (Tracked tracked : instances.values()) {
      long after = tracked.instance.getDeregisterCriticalAfterMs();
      if (after == 0 || !tracked.critical
          || now - tracked.criticalSinceNanos < TimeUnit.MILLISECONDS.toNanos(after)) {
        continue;
      }
      if (tracked.deregisterProposed && now - tracked.deregisterProposedAtNanos
          < TimeUnit.MILLISECONDS.toNanos(REPROPOSE_AFTER_MS)) {
        continue;
      }
      tracked.deregisterProposed = true;
      tracked.deregisterProposedAtNanos = now;
      Instance instance = tracked.instance;
      LOG.info("deregistering {}/{}: critical for over {} ms", instance.getService(),
          instance.getId(), after);
      submit(Command.newBuilder().setDeregisterCritical(DeregisterCritical.newBuilder()
          .setTerm(term)
          .setService(instance.getService())
          .setInstanceId(instance.getId())
          .setRegistrationRevision(instance.getRegistrationRevision())).build())
          .whenComplete((r, error) -> {
            if (error != null) {
              LOG.warn("proposing the deregistration of {}/{} failed, will retry: {}",
                  instance.getService(), instance.getId(), error.toString());
            }
          });
    }
  }

  private CompletableFuture<CommandResult> submit(Command command) {
    try {
      return propose.apply(command);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private void post(Runnable task) {
    try {
      thread.execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.error("health check runner failed", e);
        }
      });
    } catch (RejectedExecutionException stopping) {
      // Closed: no more checks.
    }
  }

  /** Number of checks being run (for tests and metrics); 0 unless leader. */
  public int runningChecks() {
    CompletableFuture<Integer> count = new CompletableFuture<>();
    post(() -> count.complete(instances.values().stream().mapToInt(t -> t.checks.size()).sum()));
    try {
      return count.get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      return 0;
    }
  }

  @Override
  public void close() {
    post(this::stop);
    thread.shutdown();
    try {
      if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      thread.shutdownNow();
    }
  }
}
