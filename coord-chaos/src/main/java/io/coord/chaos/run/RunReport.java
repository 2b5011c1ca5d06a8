package io.coord.chaos.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.coord.chaos.check.Availability;
import io.coord.chaos.check.CheckHistory;
import io.coord.chaos.check.CheckResult;
import io.coord.chaos.history.FaultLog;
import io.coord.chaos.history.History;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes {@code report.txt} and {@code availability.json} of a run. */
final class RunReport {
  private RunReport() {
  }

  static void write(Path dir, List<String> header, History history, FaultLog faults,
      List<CheckResult> results, Availability availability, long windowMillis)
      throws IOException {
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    try (PrintStream out = new PrintStream(text, true, StandardCharsets.UTF_8)) {
      header.forEach(out::println);
      out.println();
      CheckHistory.report(history, faults, results, dir.resolve("history.jsonl"), out);
    }
    Files.write(dir.resolve("report.txt"), text.toByteArray());
    if (availability != null) {
      writeAvailability(dir.resolve("availability.json"), availability, history.origin(),
          windowMillis);
    }
  }

  private static void writeAvailability(Path file, Availability availability, long origin,
      long windowMillis) throws IOException {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("window_ms", windowMillis);
    json.put("windows", availability.windows());
    json.put("windows_with_acknowledged_write", availability.windowsWithWrite());
    json.put("fraction", availability.fraction());
    List<Map<String, Object>> losses = new ArrayList<>();
    for (Availability.Recovery recovery : availability.recoveries()) {
      Map<String, Object> loss = new LinkedHashMap<>();
      loss.put("fault", recovery.fault().fault());
      loss.put("target", recovery.fault().target());
      loss.put("start_s", (recovery.fault().start() - origin) / 1e9);
      loss.put("write_unavailable_ms", recovery.unavailableNanos() == Long.MAX_VALUE ? null
          : recovery.unavailableNanos() / 1_000_000);
      losses.add(loss);
    }
    json.put("leader_losses", losses);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(),
        json);
  }
}
