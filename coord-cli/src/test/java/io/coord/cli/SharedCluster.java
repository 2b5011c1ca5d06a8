package io.coord.cli;

import static org.awaitility.Awaitility.await;

import io.coord.client.CoordClient;
import io.coord.client.cluster.MemberStatus;
import io.coord.testing.CoordTestCluster;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * One real 3-member cluster shared by every CLI test class of the JVM: started on first use,
 * once it has a leader and every member is healthy, and closed when all tests are done. Tests
 * use keys of their own so they do not see each other's writes.
 */
public final class SharedCluster implements BeforeAllCallback {
  private static final Namespace NAMESPACE = Namespace.create(SharedCluster.class);
  private static volatile CoordTestCluster cluster;

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent("cluster", key -> {
      CoordTestCluster started = CoordTestCluster.builder().size(3).build().start();
      started.awaitLeader();
      CoordClient client = started.newClient();
      await().atMost(Duration.ofSeconds(30)).until(() -> allHealthy(client.cluster().status()));
      cluster = started;
      return (ExtensionContext.Store.CloseableResource) started::close;
    });
  }

  private static boolean allHealthy(List<MemberStatus> members) {
    return members.size() == 3 && members.stream().allMatch(MemberStatus::healthy);
  }

  /** The running cluster; valid in tests of classes extended with this extension. */
  static CoordTestCluster cluster() {
    return cluster;
  }

  /** The cluster's endpoints as the --endpoints value. */
  static String endpoints() {
    return String.join(",", cluster.endpoints());
  }
}
