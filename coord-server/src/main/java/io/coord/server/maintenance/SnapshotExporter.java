package io.coord.server.maintenance;

import io.coord.proto.v1.SnapshotHeader;
import io.coord.server.statemachine.CoordStateMachine;
import io.coord.server.time.Clock;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces backups: takes a RocksDB checkpoint of the state store into a scratch directory
 * (hard links and a memtable flush; applying goes on meanwhile), writes it as a snapshot file
 * and deletes the scratch copy.
 */
public final class SnapshotExporter {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotExporter.class);

  private final CoordStateMachine stateMachine;
  private final Path scratchRoot;
  private final String clusterToken;
  private final long clusterId;
  private final String memberName;
  private final Clock clock;

  public SnapshotExporter(CoordStateMachine stateMachine, Path scratchRoot, String clusterToken,
      long clusterId, String memberName, Clock clock) {
    this.stateMachine = stateMachine;
    this.scratchRoot = scratchRoot;
    this.clusterToken = clusterToken;
    this.clusterId = clusterId;
    this.memberName = memberName;
    this.clock = clock;
  }

  /** Writes a consistent snapshot of the current state to {@code out}. */
  public SnapshotHeader export(OutputStream out) throws IOException {
    Files.createDirectories(scratchRoot);
    Path checkpoint = scratchRoot.resolve("snapshot-" + UUID.randomUUID());
    stateMachine.checkpoint(checkpoint);
    try {
      CoordStateMachine.StoreSummary summary = CoordStateMachine.summarize(checkpoint);
      List<Path> files;
      try (Stream<Path> listing = Files.list(checkpoint)) {
        files = listing.filter(Files::isRegularFile).sorted().toList();
      }
      long total = 0;
      for (Path file : files) {
        total += Files.size(file);
      }
      SnapshotHeader header = SnapshotHeader.newBuilder()
          .setFormatVersion(1)
          .setClusterToken(clusterToken)
          .setClusterId(clusterId)
          .setMemberName(memberName)
          .setRevision(summary.revision())
          .setCompactRevision(summary.compactRevision())
          .setAppliedIndex(summary.appliedIndex())
          .setAppliedTerm(summary.appliedTerm())
          .setKeyCount(summary.keyCount())
          .setCreatedUnixMs(clock.wallMillis())
          .setFileCount(files.size())
          .setTotalFileBytes(total)
          .build();
      SnapshotWriter writer = new SnapshotWriter(out);
      writer.header(header);
      for (Path file : files) {
        writer.file(file.getFileName().toString(), file);
      }
      writer.finish();
      LOG.info("streamed a snapshot at revision {} (applied index {}, {} keys, {} files, {}"
          + " bytes)", header.getRevision(), header.getAppliedIndex(), header.getKeyCount(),
          files.size(), total);
      return header;
    } finally {
      deleteRecursively(checkpoint);
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException | UncheckedIOException e) {
      LOG.warn("could not delete the snapshot scratch directory {}: {}", dir, e.toString());
    }
  }
}
