package io.coord.bench;

import io.coord.bench.driver.CoordDriver;
import io.coord.bench.driver.Driver;
import io.coord.bench.driver.EtcdDriver;
import io.coord.bench.driver.ZooKeeperDriver;
import java.time.Duration;
import java.util.List;

/** Creates the driver of a system by name. */
public final class Drivers {
  /** The systems the bench can drive. */
  public static final List<String> SYSTEMS = List.of("coord", "etcd", "zookeeper");

  private Drivers() {}

  public static Driver open(String system, List<String> endpoints) throws Exception {
    return switch (system) {
      case "coord" -> new CoordDriver(endpoints, Duration.ofSeconds(30));
      case "etcd" -> new EtcdDriver(endpoints);
      case "zookeeper", "zk" -> new ZooKeeperDriver(endpoints);
      default -> throw new IllegalArgumentException("unknown system '" + system
          + "'; known: " + SYSTEMS);
    };
  }
}
