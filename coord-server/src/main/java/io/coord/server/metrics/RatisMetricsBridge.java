package io.coord.server.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.ratis.metrics.MetricRegistries;
import org.apache.ratis.metrics.RatisMetricRegistry;
import org.apache.ratis.metrics.impl.RatisMetricRegistryImpl;
import org.apache.ratis.thirdparty.com.codahale.metrics.Snapshot;
import org.apache.ratis.thirdparty.com.codahale.metrics.Timer;

/**
 * Bridges this member's Ratis timers (Dropwizard, shaded inside Ratis) into Prometheus
 * summaries at scrape time: the Raft log's fsync as {@code coord_disk_wal_fsync_duration_seconds}
 * (etcd's {@code etcd_disk_wal_fsync_duration_seconds}), its flush and append latency as
 * {@code coord_disk_wal_*}. Quantiles come from Ratis's sampling reservoir, the sum is the mean
 * times the count.
 */
final class RatisMetricsBridge implements MultiCollector {
  private static final Map<String, String[]> LOG_WORKER_TIMERS = Map.of(
      "syncTime", new String[] {"coord_disk_wal_fsync_duration_seconds",
          "Time of one fsync of the Raft log."},
      "flushTime", new String[] {"coord_disk_wal_flush_duration_seconds",
          "Time of one flush of the Raft log's write buffer."},
      "appendEntryLatency", new String[] {"coord_disk_wal_append_duration_seconds",
          "Time to append one entry to the Raft log, queueing included."});
  private static final double[] QUANTILES = {0.5, 0.9, 0.99};

  private final String memberPrefix;

  RatisMetricsBridge(String memberName) {
    this.memberPrefix = memberName + "@";
  }

  @Override
  public MetricSnapshots collect() {
    List<SummarySnapshot> summaries = new ArrayList<>();
    for (Map.Entry<String, String[]> wanted : LOG_WORKER_TIMERS.entrySet()) {
      Timer timer = logWorkerTimer(wanted.getKey());
      summaries.add(summary(wanted.getValue()[0], wanted.getValue()[1], timer));
    }
    return new MetricSnapshots(summaries.toArray(new SummarySnapshot[0]));
  }

  @Override
  public List<String> getPrometheusNames() {
    return LOG_WORKER_TIMERS.values().stream().map(v -> v[0]).toList();
  }

  private Timer logWorkerTimer(String name) {
    for (RatisMetricRegistry registry : MetricRegistries.global().getMetricRegistries()) {
      var info = registry.getMetricRegistryInfo();
      if (!"log_worker".equals(info.getMetricsComponentName())
          || !info.getPrefix().startsWith(memberPrefix)
          || !(registry instanceof RatisMetricRegistryImpl impl)) {
        continue;
      }
      for (Map.Entry<String, Timer> timer
          : impl.getDropWizardMetricRegistry().getTimers().entrySet()) {
        if (timer.getKey().equals(name) || timer.getKey().endsWith("." + name)) {
          return timer.getValue();
        }
      }
    }
    return null;
  }

  private static SummarySnapshot summary(String name, String help, Timer timer) {
    SummarySnapshot.SummaryDataPointSnapshot.Builder point =
        SummarySnapshot.SummaryDataPointSnapshot.builder();
    if (timer == null) {
      point.count(0).sum(0).quantiles(Quantiles.EMPTY);
    } else {
      Snapshot snapshot = timer.getSnapshot();
      List<Quantile> quantiles = new ArrayList<>();
      for (double q : QUANTILES) {
        quantiles.add(new Quantile(q, snapshot.getValue(q) / 1e9));
      }
      point.count(timer.getCount()).sum(snapshot.getMean() / 1e9 * timer.getCount())
          .quantiles(Quantiles.of(quantiles));
    }
    return SummarySnapshot.builder().name(name).help(help)
        .unit(io.prometheus.metrics.model.snapshots.Unit.SECONDS)
        .dataPoint(point.build()).build();
  }
}
