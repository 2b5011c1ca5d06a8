package io.coord.server.raft;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;

/**
 * Snapshots as RocksDB checkpoints in Ratis's state-machine directory, one directory
 * {@code ckpt.<term>_<index>} each. The leader ships a checkpoint's files to a follower that
 * fell behind the purged log; Ratis replaces the follower's whole directory with it.
 */
final class CheckpointStorage implements StateMachineStorage {
  private static final Pattern NAME = Pattern.compile("ckpt\\.(\\d+)_(\\d+)");
  private static final String IN_PROGRESS = ".ckpt-in-progress";

  private volatile Path smDir;
  private volatile FileListSnapshotInfo latest;

  @Override
  public void init(RaftStorage raftStorage) throws IOException {
    smDir = raftStorage.getStorageDir().getStateMachineDir().toPath();
    Files.createDirectories(smDir);
    refresh();
  }

  /** Directory of the checkpoint for {@code termIndex}. */
  Path checkpointDir(TermIndex termIndex) {
    return smDir.resolve("ckpt." + termIndex.getTerm() + "_" + termIndex.getIndex());
  }

  /** Scratch directory a checkpoint is written to before it is renamed into place. */
  Path inProgressDir() throws IOException {
    Path dir = smDir.resolve(IN_PROGRESS);
    if (Files.exists(dir)) {
      deleteRecursively(dir);
    }
    return dir;
  }

  /** Re-reads the directory: after a checkpoint was taken or a snapshot was installed. */
  void refresh() throws IOException {
    Optional<Path> newest = checkpoints().stream()
        .max(Comparator.comparingLong(p -> termIndex(p).getIndex()));
    if (newest.isEmpty()) {
      latest = null;
      return;
    }
    Path dir = newest.get();
    List<FileInfo> files = new ArrayList<>();
    try (Stream<Path> listing = Files.list(dir)) {
      for (Path file : listing.sorted().toList()) {
        if (Files.isRegularFile(file) && !file.getFileName().toString().endsWith(".md5")) {
          files.add(new FileInfo(file, null));
        }
      }
    }
    latest = new FileListSnapshotInfo(files, termIndex(dir));
  }

  /** The directory of the newest checkpoint, if any. */
  Optional<Path> latestDir() {
    FileListSnapshotInfo current = latest;
    return current == null ? Optional.empty()
        : Optional.of(checkpointDir(current.getTermIndex()));
  }

  private List<Path> checkpoints() throws IOException {
    if (!Files.isDirectory(smDir)) {
      return List.of();
    }
    try (Stream<Path> listing = Files.list(smDir)) {
      return listing.filter(p -> Files.isDirectory(p)
          && NAME.matcher(p.getFileName().toString()).matches()).toList();
    }
  }

  private static TermIndex termIndex(Path dir) {
    Matcher m = NAME.matcher(dir.getFileName().toString());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a checkpoint directory: " + dir);
    }
    return TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
  }

  @Override
  public SnapshotInfo getLatestSnapshot() {
    return latest;
  }

  @Override
  public void format() {
    // Nothing to format: checkpoints appear as they are taken.
  }

  @Override
  public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
    int keep = Math.max(1, policy.getNumSnapshotsRetained());
    List<Path> byAge = new ArrayList<>(checkpoints());
    byAge.sort(Comparator.comparingLong((Path p) -> termIndex(p).getIndex()).reversed());
    for (Path old : byAge.subList(Math.min(keep, byAge.size()), byAge.size())) {
      deleteRecursively(old);
    }
  }

  @Override
  public File getSnapshotDir() {
    return null;
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
