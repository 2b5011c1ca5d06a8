package io.coord.bench.report;

import io.coord.bench.ResultRow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The comparison table: one line per workload and concurrency, one column per system
 * (ops/s and p50/p99), then Coord's throughput divided by each peer's.
 */
public final class Table {
  private static final String BASE = "coord";

  private Table() {}

  /** Renders {@code rows} as a plain-text table. */
  public static String render(List<ResultRow> rows) {
    Set<String> systems = new LinkedHashSet<>();
    rows.stream().map(ResultRow::system).filter(BASE::equals).forEach(systems::add);
    rows.stream().map(ResultRow::system).forEach(systems::add);
    Map<String, Map<String, ResultRow>> byPoint = new LinkedHashMap<>();
    for (ResultRow row : rows) {
      byPoint.computeIfAbsent(row.workload() + "|" + row.concurrency(),
          k -> new LinkedHashMap<>()).put(row.system(), row);
    }
    List<String> peers = systems.stream().filter(s -> !s.equals(BASE)).toList();
    List<String[]> lines = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("workload", "in flight"));
    for (String system : systems) {
      header.add(system + " ops/s");
      header.add("p50/p99 ms");
    }
    if (systems.contains(BASE)) {
      peers.forEach(p -> header.add(BASE + "/" + p));
    }
    lines.add(header.toArray(String[]::new));
    boolean footnote = false;
    for (Map.Entry<String, Map<String, ResultRow>> point : byPoint.entrySet()) {
      String[] key = point.getKey().split("\\|");
      List<String> cells = new ArrayList<>(List.of(key[0], key[1]));
      for (String system : systems) {
        ResultRow row = point.getValue().get(system);
        if (row == null) {
          cells.add("-");
          cells.add("");
        } else if (!row.ok()) {
          cells.add(row.status());
          cells.add("");
        } else {
          boolean flagged = row.errors() > 0 || row.abandoned() > 0
              || (row.gate() != null && row.gate().timedOut());
          footnote |= flagged;
          cells.add(String.format(Locale.ROOT, "%,.0f%s", row.opsPerSec(), flagged ? "*" : ""));
          cells.add(String.format(Locale.ROOT, "%s/%s", ms(row.p50Ms()), ms(row.p99Ms())));
        }
      }
      if (systems.contains(BASE)) {
        for (String peer : peers) {
          cells.add(ratio(point.getValue().get(BASE), point.getValue().get(peer)));
        }
      }
      lines.add(cells.toArray(String[]::new));
    }
    StringBuilder out = new StringBuilder(format(lines));
    if (footnote) {
      out.append("* errors, abandoned operations or a busy machine (idle gate timed out): "
          + "see results.json\n");
    }
    return out.toString();
  }

  static String ratio(ResultRow base, ResultRow peer) {
    if (base == null || peer == null || !base.ok() || !peer.ok() || peer.opsPerSec() <= 0) {
      return "-";
    }
    if ("failover".equals(base.workload())) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.2fx", base.opsPerSec() / peer.opsPerSec());
  }

  private static String ms(double value) {
    return value >= 100 ? String.format(Locale.ROOT, "%.0f", value)
        : value >= 10 ? String.format(Locale.ROOT, "%.1f", value)
        : String.format(Locale.ROOT, "%.2f", value);
  }

  private static String format(List<String[]> lines) {
    int columns = lines.get(0).length;
    int[] width = new int[columns];
    for (String[] line : lines) {
      for (int i = 0; i < columns; i++) {
        width[i] = Math.max(width[i], line[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < columns; i++) {
        String cell = line[i];
        String pad = " ".repeat(width[i] - cell.length());
        text.append(i == 0 ? cell + pad : pad + cell).append(i + 1 < columns ? "  " : "");
      }
      out.append(text.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
