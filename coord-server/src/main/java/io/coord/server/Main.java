package io.coord.server;

import io.coord.server.cluster.MemberIds;
import io.coord.server.config.ConfigException;
import io.coord.server.config.ConfigKey;
import io.coord.server.config.ConfigKeys;
import io.coord.server.config.ServerConfig;
import io.coord.server.time.Clock;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Starts one Coord member: {@code coord-server [--config] FILE}. Also
 * {@code --help-config} (every configuration key) and {@code --version}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("--help-config")) {
      printConfigReference();
      return;
    }
    if (args.length == 1 && args[0].equals("--version")) {
      System.out.println("coord-server " + Version.current());
      return;
    }
    Path file;
    if (args.length == 2 && args[0].equals("--config")) {
      file = Path.of(args[1]);
    } else if (args.length == 1 && !args[0].startsWith("-")) {
      file = Path.of(args[0]);
    } else {
      System.err.println("usage: coord-server [--config] FILE | --help-config | --version");
      System.exit(2);
      return;
    }

    ServerConfig config;
    try {
      config = ServerConfig.load(file);
    } catch (ConfigException e) {
      System.err.println("coord-server: " + file + ": " + e.getMessage());
      System.exit(2);
      return;
    }
    LoggingSetup.apply(config.get(ConfigKeys.NAME), MemberIds.memberId(
        config.get(ConfigKeys.CLUSTER_TOKEN), config.get(ConfigKeys.NAME)),
        config.get(ConfigKeys.LOG_FORMAT), config.get(ConfigKeys.LOG_LEVEL));

    CoordServer server = new CoordServer(config, Clock.SYSTEM, reason -> {
      System.err.println("coord-server: stopping: " + reason);
      // The member's state can no longer be trusted to follow the log: stop the process so a
      // supervisor restarts it and it recovers from its log and snapshot.
      Runtime.getRuntime().halt(3);
    }, reason -> {
      System.err.println("coord-server: removed from the cluster (" + reason + "); exiting."
          + " Wipe " + config.dataDir() + " before this member joins again.");
      System.exit(0);
    });
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      server.close();
      stopped.countDown();
    }, "coord-shutdown"));
    try {
      server.start();
    } catch (Exception e) {
      System.err.println("coord-server: cannot start: " + e.getMessage());
      Runtime.getRuntime().halt(1);
    }
    stopped.await();
  }

  private static void printConfigReference() {
    for (ConfigKey<?> key : ConfigKeys.ALL) {
      System.out.println("# " + key.description());
      System.out.println(key.name() + "=" + key.defaultText());
      System.out.println();
    }
  }
}
