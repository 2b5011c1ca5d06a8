package io.coord.server.discovery;

import io.coord.proto.v1.HealthStatus;
import java.nio.charset.StandardCharsets;

/**
 * What one probe found.
 *
 * @param output what the status is based on, at most {@link #MAX_OUTPUT_BYTES} bytes
 */
public record ProbeOutcome(HealthStatus status, String output) {
  static final int MAX_OUTPUT_BYTES = 1024;

  public ProbeOutcome {
    byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_OUTPUT_BYTES) {
      output = new String(bytes, 0, MAX_OUTPUT_BYTES, StandardCharsets.UTF_8);
    }
  }

  static ProbeOutcome passing(String output) {
    return new ProbeOutcome(HealthStatus.PASSING, output);
  }

  static ProbeOutcome critical(String output) {
    return new ProbeOutcome(HealthStatus.CRITICAL, output);
  }
}
