package io.coord.testing;

import io.coord.client.CoordClient;
import io.coord.client.discovery.Registration;
import io.coord.client.discovery.ServiceRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;

/**
 * A separate client process for tests: registers one instance through a
 * {@link ServiceRegistry}, prints {@code REGISTERED <session id>} and keeps the session alive
 * until it is killed.
 *
 * <p>Arguments: endpoints (comma-separated), service, instance id, port, TTL seconds.
 */
public final class RegisteringProcess {
  private RegisteringProcess() {}

  public static void main(String[] args) throws InterruptedException {
    CoordClient client = CoordClient.builder().endpoints(args[0].split(",")).build();
    ServiceRegistry registry = client.discovery().registry(
        Duration.ofSeconds(Long.parseLong(args[4])));
    registry.register(Registration.builder(args[1], args[2]).address("127.0.0.1")
        .port(Integer.parseInt(args[3])).build());
    System.out.println("REGISTERED " + registry.session().id());
    System.out.flush();
    new CountDownLatch(1).await();
  }
}
