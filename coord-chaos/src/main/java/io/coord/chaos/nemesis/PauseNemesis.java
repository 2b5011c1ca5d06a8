package io.coord.chaos.nemesis;

import io.coord.chaos.run.Member;
import java.util.Optional;

/** SIGSTOP, then SIGCONT at heal: the leader or a follower (a process-wide stall, like a long GC). */
public final class PauseNemesis implements Nemesis {
  private final Variants variants = new Variants(2);

  @Override
  public String name() {
    return "pause";
  }

  @Override
  public Fault inject(FaultContext context) {
    Optional<Member> leader = context.leader();
    Member target = variants.next(context.random()) == 0 && leader.isPresent() ? leader.get()
        : context.anyMemberExcept(leader);
    boolean leaderLoss = leader.filter(target::equals).isPresent();
    String description = "pause " + target + FaultContext.leaderNote(target, leader);
    context.faults().start(name(), target.name(), leaderLoss);
    context.progress().say("%s", description);
    target.pause();
    return new Fault() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public void heal() {
        context.progress().say("resume %s", target);
        target.resume();
        context.faults().heal(name(), target.name());
      }
    };
  }
}
