package io.coord.testing;

import io.coord.client.CoordClient;
import io.coord.client.election.Leadership;
import io.coord.client.session.Session;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A campaigner in its own JVM ({@link ClientProcess}): campaigns with a session of its own,
 * prints {@code CAMPAIGNING <session>}, then {@code ELECTED <term>} once it leads; on the line
 * {@code resign} from standard input it resigns and prints {@code RESIGNED}.
 *
 * <p>Arguments: endpoints (comma-separated), election name, value, session TTL in seconds.
 */
public final class CampaignerProcess {
  private CampaignerProcess() {}

  public static void main(String[] args) throws Exception {
    List<String> endpoints = List.of(args[0].split(","));
    try (CoordClient client = CoordClient.builder().endpoints(endpoints)
        .requestTimeout(Duration.ofSeconds(20)).build()) {
      Session session = client.sessions().grant(Duration.ofSeconds(Long.parseLong(args[3])));
      System.out.println("CAMPAIGNING " + session.id());
      System.out.flush();
      Leadership leadership = client.elections().campaign(args[1], args[2], session);
      System.out.println("ELECTED " + leadership.term());
      System.out.flush();
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        if (line.equals("resign")) {
          leadership.resign();
          System.out.println("RESIGNED");
          System.out.flush();
          return;
        }
      }
    }
  }
}
