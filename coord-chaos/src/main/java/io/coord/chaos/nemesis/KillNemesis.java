package io.coord.chaos.nemesis;

import io.coord.chaos.run.Member;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * SIGKILL, then restart at heal: one random member, the leader, or a majority (the cluster
 * then has no quorum until the heal). The heal is logged once the restarted members serve.
 */
public final class KillNemesis implements Nemesis {
  private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(30);

  private final Variants variants = new Variants(3);

  @Override
  public String name() {
    return "kill";
  }

  @Override
  public Fault inject(FaultContext context) {
    Optional<Member> leader = context.leader();
    int variant = variants.next(context.random());
    List<Member> targets = switch (variant) {
      case 0 -> List.of(context.anyMember());
      case 1 -> List.of(leader.orElseGet(context::anyMember));
      default -> context.someMembers(context.majority());
    };
    boolean leaderLoss = targets.size() >= context.majority()
        || leader.filter(targets::contains).isPresent();
    String target = FaultContext.names(targets);
    String description = "kill " + target + (variant == 2 ? " (a majority)"
        : FaultContext.leaderNote(targets.get(0), leader));
    context.faults().start(name(), target, leaderLoss);
    context.progress().say("%s", description);
    targets.forEach(Member::kill);
    return new Fault() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public void heal() {
        context.progress().say("restart %s", target);
        targets.forEach(member -> context.cluster().start(member, null));
        targets.forEach(member -> context.cluster().awaitServing(member, RESTART_TIMEOUT));
        context.faults().heal(name(), target);
      }
    };
  }
}
