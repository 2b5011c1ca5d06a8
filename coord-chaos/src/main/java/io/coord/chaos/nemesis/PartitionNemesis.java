package io.coord.chaos.nemesis;

import io.coord.chaos.run.Member;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts links with iptables rules in the members' network namespaces (the harness still
 * reaches every member). Variants:
 * <ul>
 *   <li>{@code partition} {@code nL:rest}: the leader isolated from every other member;
 *   <li>{@code partition} {@code minority:majority}: a random minority cut from the rest;
 *   <li>{@code partition-one-way} {@code nL->rest}: the leader can no longer send to the others
 *       (its connections to them are dropped at their end) while they still reach it;
 *   <li>{@code partition-one-way} {@code rest->nL}: the others can no longer send to the leader
 *       while it still reaches them.
 * </ul>
 * Heal removes every rule.
 */
public final class PartitionNemesis implements Nemesis {
  private final Variants variants = new Variants(4);

  static final String ONE_WAY = "partition-one-way";

  @Override
  public String name() {
    return "partition";
  }

  @Override
  public Fault inject(FaultContext context) {
    Optional<Member> leader = context.leader();
    Member pivot = leader.orElseGet(context::anyMember);
    List<Member> others = new ArrayList<>(context.cluster().members());
    others.remove(pivot);
    String fault;
    String target;
    boolean leaderLoss;
    Runnable cut;
    String description;
    switch (variants.next(context.random())) {
      case 0 -> {
        fault = name();
        target = pivot + ":" + FaultContext.names(others);
        leaderLoss = leader.isPresent();
        cut = () -> others.forEach(o -> context.network().cut(pivot.index(), o.index()));
        description = "isolate " + pivot + FaultContext.leaderNote(pivot, leader);
      }
      case 1 -> {
        List<Member> minority = context.someMembers(context.cluster().members().size() / 2);
        List<Member> majority = new ArrayList<>(context.cluster().members());
        majority.removeAll(minority);
        fault = name();
        target = FaultContext.names(minority) + ":" + FaultContext.names(majority);
        leaderLoss = leader.filter(minority::contains).isPresent();
        cut = () -> minority.forEach(a -> majority.forEach(b ->
            context.network().cut(a.index(), b.index())));
        description = "partition " + target + (leaderLoss ? " (the leader in the minority)"
            : "");
      }
      case 2 -> {
        fault = ONE_WAY;
        target = pivot + "->" + FaultContext.names(others);
        leaderLoss = leader.isPresent();
        cut = () -> others.forEach(o -> context.network().cutOneWay(pivot.index(), o.index()));
        description = "one-way: " + pivot + FaultContext.leaderNote(pivot, leader)
            + " can no longer send to " + FaultContext.names(others);
      }
      default -> {
        fault = ONE_WAY;
        target = FaultContext.names(others) + "->" + pivot;
        leaderLoss = false;
        cut = () -> others.forEach(o -> context.network().cutOneWay(o.index(), pivot.index()));
        description = "one-way: " + FaultContext.names(others) + " can no longer send to "
            + pivot + FaultContext.leaderNote(pivot, leader);
      }
    }
    context.faults().start(fault, target, leaderLoss);
    context.progress().say("%s", description);
    cut.run();
    return new Fault() {
      @Override
      public String description() {
        return description;
      }

      @Override
      public void heal() {
        context.progress().say("heal the network");
        context.network().healAll();
        context.faults().heal(fault, target);
      }
    };
  }
}
