package io.coord.testing;

import io.coord.client.CoordClient;
import io.coord.client.StaleFenceException;
import io.coord.client.kv.PutOptions;
import io.coord.client.lock.HeldLock;
import io.coord.client.lock.LockOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A lock holder in its own JVM ({@link ClientProcess}): acquires a lock, prints
 * {@code HOLDING <token> <session>}, then, on the line {@code write} from standard input, writes
 * a key guarded by its grant as if it still held the lock, and prints {@code WRITTEN} or
 * {@code FENCED <current tokens>}.
 *
 * <p>Arguments: endpoints (comma-separated), lock name, key, session TTL in seconds.
 */
public final class HolderProcess {
  private HolderProcess() {}

  public static void main(String[] args) throws Exception {
    List<String> endpoints = List.of(args[0].split(","));
    try (CoordClient client = CoordClient.builder().endpoints(endpoints)
        .requestTimeout(Duration.ofSeconds(20)).build()) {
      HeldLock held = client.locks().lock(args[1], LockOptions.builder()
          .ttl(Duration.ofSeconds(Long.parseLong(args[3]))).build())
          .acquire(Duration.ofSeconds(30));
      System.out.println("HOLDING " + held.token() + " " + held.session().id());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (!line.equals("write")) {
          continue;
        }
        // Decided before the pause: it still believes it holds the lock.
        try {
          client.kv().put(args[2], "written by the paused holder",
              PutOptions.builder().guard(held.fence()).build());
          System.out.println("WRITTEN");
        } catch (StaleFenceException fenced) {
          System.out.println("FENCED " + fenced.currentTokens());
        }
        System.out.flush();
        return;
      }
    }
  }
}
