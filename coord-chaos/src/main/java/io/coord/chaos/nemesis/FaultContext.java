package io.coord.chaos.nemesis;

import io.coord.chaos.history.FaultWriter;
import io.coord.chaos.run.LocalCluster;
import io.coord.chaos.run.Member;
import io.coord.chaos.run.Network;
import io.coord.chaos.run.Progress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Collectors;

/**
 * What a nemesis acts on: the cluster, its network, the fault log and the run's random source
 * (seeded, so a schedule can be repeated).
 *
 * @param cluster the members
 * @param network cuts links, if it can
 * @param faults where starts and heals are logged
 * @param random the run's random source
 * @param progress progress lines
 */
public record FaultContext(LocalCluster cluster, Network network, FaultWriter faults,
    Random random, Progress progress) {

  /** The current leader, waiting a little for one; empty if there is none. */
  public Optional<Member> leader() {
    return cluster.awaitLeader(Duration.ofSeconds(3));
  }

  /** A member chosen at random. */
  public Member anyMember() {
    List<Member> members = cluster.members();
    return members.get(random.nextInt(members.size()));
  }

  /** A member other than {@code excluded} (if present), chosen at random. */
  public Member anyMemberExcept(Optional<Member> excluded) {
    List<Member> others = new ArrayList<>(cluster.members());
    excluded.ifPresent(others::remove);
    return others.get(random.nextInt(others.size()));
  }

  /** {@code count} distinct members chosen at random, in member order. */
  public List<Member> someMembers(int count) {
    List<Member> shuffled = new ArrayList<>(cluster.members());
    java.util.Collections.shuffle(shuffled, random);
    List<Member> chosen = new ArrayList<>(shuffled.subList(0, count));
    chosen.sort(java.util.Comparator.comparing(Member::index));
    return chosen;
  }

  /** The smallest majority of the cluster. */
  public int majority() {
    return cluster.members().size() / 2 + 1;
  }

  /** Names joined by commas: {@code n1,n3}. */
  public static String names(Collection<Member> members) {
    return members.stream().map(Member::name).collect(Collectors.joining(","));
  }

  /** " (the leader)" if {@code member} is {@code leader}, else "". */
  public static String leaderNote(Member member, Optional<Member> leader) {
    return leader.filter(member::equals).isPresent() ? " (the leader)" : "";
  }
}
