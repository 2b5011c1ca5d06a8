package io.coord.bench.report;

import io.coord.bench.ResultRow;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * A PNG with two bar charts sharing one axis of "workload cN" points: throughput above, p99
 * latency below, one bar per system. Rendered headless.
 */
public final class Chart {
  private static final Map<String, Color> COLOURS = Map.of(
      "coord", new Color(0x1f, 0x77, 0xb4),
      "etcd", new Color(0xd6, 0x27, 0x28),
      "zookeeper", new Color(0x2c, 0xa0, 0x2c));

  private Chart() {}

  /** One colour per system in both plots, so a system is the same colour everywhere. */
  private static BarRenderer renderer(DefaultCategoryDataset data, boolean inLegend) {
    BarRenderer renderer = new BarRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    renderer.setItemMargin(0.05);
    for (int i = 0; i < data.getRowCount(); i++) {
      renderer.setSeriesPaint(i, COLOURS.getOrDefault(data.getRowKey(i).toString(), Color.GRAY));
    }
    renderer.setDefaultSeriesVisibleInLegend(inLegend);
    return renderer;
  }

  /** Writes the chart of the rows that have numbers (failover rows excluded) to {@code png}. */
  public static void write(List<ResultRow> rows, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset throughput = new DefaultCategoryDataset();
    DefaultCategoryDataset p99 = new DefaultCategoryDataset();
    List<ResultRow> ordered = rows.stream()
        .sorted(java.util.Comparator.comparing(r -> !"coord".equals(r.system())))
        .toList();
    for (ResultRow row : ordered) {
      if (!row.ok() || "failover".equals(row.workload())) {
        continue;
      }
      String point = row.workload() + " c" + row.concurrency();
      throughput.addValue(row.opsPerSec(), row.system(), point);
      p99.addValue(row.p99Ms(), row.system(), point);
    }
    CategoryAxis points = new CategoryAxis("workload, operations in flight");
    points.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    CombinedDomainCategoryPlot plot = new CombinedDomainCategoryPlot(points);
    plot.add(new CategoryPlot(throughput, null, new NumberAxis("ops/s"),
        renderer(throughput, true)), 3);
    plot.add(new CategoryPlot(p99, null, new NumberAxis("p99 ms"), renderer(p99, false)), 2);
    JFreeChart chart = new JFreeChart("Coord vs etcd vs ZooKeeper (same machine, same run)",
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    int width = Math.max(900, 60 * throughput.getColumnCount() + 200);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, width, 700);
  }
}
