package io.coord.chaos.nemesis;

import io.coord.chaos.run.Member;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Restarts a member (the leader half of the time) with its clock offset by libfaketime, then
 * moves leadership to it, so that the leader's wall clock, which Coord only stamps into log
 * entries for bookkeeping, is wrong by hours or days. Heal moves leadership away and restarts
 * it with the real clock. Leadership is moved off the member before each restart; the fault
 * is logged as a leader loss, as it moves leadership on purpose.
 *
 * <p>Only wall-clock offsets are applied: a constant offset also shifts the monotonic clock
 * libfaketime fakes, which changes no elapsed time. Rate skew of the monotonic clock breaks
 * the timing assumptions of Raft and of session expiry themselves and is not injected.
 */
public final class SkewNemesis implements Nemesis {
  private final Variants variants = new Variants(2);

  static final List<String> OFFSETS = List.of("+2h", "-3h", "+1d", "-2d", "+15m", "-40m");
  private static final Duration TRANSFER_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(30);

  @Override
  public String name() {
    return "skew";
  }

  @Override
  public Fault inject(FaultContext context) {
    Optional<Member> leader = context.leader();
    Member target = variants.next(context.random()) == 0 && leader.isPresent() ? leader.get()
        : context.anyMemberExcept(leader);
    String offset = OFFSETS.get(context.random().nextInt(OFFSETS.size()));
    String description = "clock of " + target + " at " + offset;
    // Leadership moves to and from the target: a leader change (a new leader restarts every
    // session's TTL), whether or not a transfer fails and the stop removes the leader.
    context.faults().start("clock-skew", target.name(), true);
    moveLeadershipAway(context, target);
    context.progress().say("%s: restart it under libfaketime", description);
    target.terminate();
    context.cluster().start(target, offset);
    context.cluster().awaitServing(target, RESTART_TIMEOUT);
    boolean leads = context.cluster().transferLeadership(target, TRANSFER_TIMEOUT);
    context.progress().say("%s %s", target, leads ? "leads with the skewed clock"
        : "did not take the leadership (it serves as a follower)");
    return new Fault() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public void heal() {
        boolean loss = moveLeadershipAway(context, target);
        context.progress().say("restart %s with the real clock%s", target,
            loss ? " (still the leader)" : "");
        target.terminate();
        context.cluster().start(target, null);
        context.cluster().awaitServing(target, RESTART_TIMEOUT);
        context.faults().heal("clock-skew", target.name());
      }
    };
  }

  /** Moves leadership off {@code target}; true if it still leads (its stop is a leader loss). */
  private static boolean moveLeadershipAway(FaultContext context, Member target) {
    Optional<Member> leader = context.leader();
    if (leader.filter(target::equals).isEmpty()) {
      return false;
    }
    Member next = context.anyMemberExcept(Optional.of(target));
    return !context.cluster().transferLeadership(next, TRANSFER_TIMEOUT);
  }
}
