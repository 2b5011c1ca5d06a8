package io.coord.bench.report;

import io.coord.bench.ResultRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * A PNG with two bar charts sharing one axis of "workload cN" points: throughput above, p99
 * latency below, one bar per system. Rendered headless.
 */
public final class Chart {
  private Chart() {}

  /** Writes the chart of the rows that have numbers (failover rows excluded) to {@code png}. */
  public static void write(List<ResultRow> rows, Path png) throws IOException {
    System.setProperty("java.awt.headless", "true");
    DefaultCategoryDataset throughput = new DefaultCategoryDataset();
    DefaultCategoryDataset p99 = new DefaultCategoryDataset();
    for (ResultRow row : rows) {
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
    plot.add(new CategoryPlot(throughput, null, new NumberAxis("ops/s"), new BarRenderer()), 3);
    plot.add(new CategoryPlot(p99, null, new NumberAxis("p99 ms"), new BarRenderer()), 2);
    JFreeChart chart = new JFreeChart("Coord vs etcd vs ZooKeeper (same machine, same run)",
        JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    int width = Math.max(900, 60 * throughput.getColumnCount() + 200);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, width, 700);
  }
}
