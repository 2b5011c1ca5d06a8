package io.coord.cli.snapshot;

import io.coord.cli.AsciiTable;
import io.coord.cli.CliException;
import io.coord.cli.Json;
import io.coord.cli.Output;
import io.coord.client.maintenance.InvalidSnapshotException;
import io.coord.client.maintenance.SnapshotSummary;
import java.nio.file.Path;

/** Prints a snapshot's summary in the three output formats. */
final class SnapshotPrinter {
  private static final String[] COLUMNS =
      {"REVISION", "KEYS", "SIZE", "SHA256", "CLUSTER", "MEMBER", "APPLIED INDEX"};

  private SnapshotPrinter() {}

  static Json json(SnapshotSummary s) {
    return Json.object()
        .put("revision", s.revision())
        .put("compact_revision", s.compactRevision())
        .put("key_count", s.keyCount())
        .put("size_bytes", s.fileBytes())
        .put("store_bytes", s.storeBytes())
        .put("file_count", s.fileCount())
        .put("sha256", s.sha256())
        .put("cluster_token", s.clusterToken())
        .put("cluster_id", s.clusterId())
        .put("member", s.memberName())
        .put("applied_index", s.appliedIndex())
        .put("applied_term", s.appliedTerm())
        .put("created_unix_ms", s.createdUnixMs());
  }

  /**
   * @param dataDir the directory restored into, or null
   * @param simpleFirstLine a line printed first in simple output, or null
   */
  static void print(Output out, SnapshotSummary s, Path dataDir, String simpleFirstLine) {
    switch (out.format()) {
      case JSON -> {
        Json json = json(s);
        if (dataDir != null) {
          json.put("data_dir", dataDir.toString());
        }
        out.json(json);
      }
      case TABLE -> out.table(new AsciiTable(COLUMNS).row(s.revision(), s.keyCount(),
          s.fileBytes(), s.sha256(), s.clusterToken(), s.memberName(), s.appliedIndex()));
      case SIMPLE -> {
        if (simpleFirstLine != null) {
          out.line(simpleFirstLine);
        }
        out.line("revision: " + s.revision());
        out.line("keys: " + s.keyCount());
        out.line("size: " + s.fileBytes() + " bytes (" + s.fileCount() + " store files, "
            + s.storeBytes() + " bytes)");
        out.line("sha256: " + s.sha256() + " (verified)");
        out.line("taken from: cluster " + s.clusterToken() + ", member " + s.memberName()
            + ", applied index " + s.appliedIndex());
      }
    }
  }

  static CliException invalid(Path file, InvalidSnapshotException e) {
    return new CliException("refusing " + file + ": " + e.getMessage());
  }
}
