package io.coord.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code coord bench}: closed-loop benchmarks of Coord, etcd and ZooKeeper with the same
 * workloads, plus the leader-failover measurement and the comparison report.
 */
@Command(name = "coord bench", mixinStandardHelpOptions = true,
    version = "coord bench 0.1.0",
    description = "Benchmarks Coord, etcd and ZooKeeper side by side.",
    subcommands = {RunCommand.class, FailoverCommand.class, ReportCommand.class})
public final class BenchMain implements Runnable {

  public static void main(String[] args) {
    int code = new CommandLine(new BenchMain()).execute(args);
    System.exit(code);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }
}
