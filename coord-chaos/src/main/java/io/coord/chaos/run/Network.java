package io.coord.chaos.run;

import java.util.List;

/**
 * Where the members of a run live on the network and, if supported, how to cut links between
 * them. Members are numbered from 1. The harness (the clients) can always reach every member.
 */
public interface Network extends AutoCloseable {
  /** The address member {@code member} binds to. */
  String host(int member);

  /** Its ports: client, Raft (peer), HTTP. */
  int[] ports(int member);

  /** The words to put before the member's command line (e.g. entering its namespace). */
  List<String> commandPrefix(int member);

  /** True if {@link #cut} and {@link #cutOneWay} work. */
  boolean partitions();

  /** Drops every packet between members {@code a} and {@code b}, both ways. */
  void cut(int a, int b);

  /**
   * Member {@code to} drops the packets of connections that {@code from} opened: {@code from}
   * can no longer send requests to {@code to}, while {@code to} still reaches {@code from}.
   * (With TCP this is the nearest thing to a one-way link: dropping single packets in one
   * direction would stall every connection both ways.)
   */
  void cutOneWay(int from, int to);

  /** Removes every cut. */
  void healAll();

  /** One line for the report. */
  String describe();

  /** Releases what the network created; safe to call twice, never throws. */
  @Override
  void close();
}
