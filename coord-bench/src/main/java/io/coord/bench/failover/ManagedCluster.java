package io.coord.bench.failover;

import java.util.List;

/**
 * A 3-member cluster that the failover measurement starts itself, on free loopback ports and
 * in a temporary directory, and whose members it can SIGKILL and start again. Closing it stops
 * every process it started, by PID.
 */
public interface ManagedCluster extends AutoCloseable {

  /** coord, etcd or zookeeper. */
  String system();

  /** Client endpoints (host:port) of every member. */
  List<String> endpoints();

  /** The member that leads now (its name), waiting for one up to {@code timeoutMs}. */
  String awaitLeader(long timeoutMs) throws Exception;

  /** The PID of a running member. */
  long pid(String member);

  /** Starts a killed member again on its data and waits until the cluster is healthy. */
  void restart(String member) throws Exception;

  /** Stops every member; never throws. */
  @Override
  void close();
}
