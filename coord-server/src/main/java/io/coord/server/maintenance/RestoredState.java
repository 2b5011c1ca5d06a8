package io.coord.server.maintenance;

import io.coord.server.statemachine.CoordStateMachine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data directory built by {@code coord snapshot restore}: the snapshot's state store in
 * {@code state/} and the marker file {@code state.restored}. On the member's first start the
 * store is made ready to found a new cluster, keeping every key, revision and history.
 */
public final class RestoredState {
  /** Written by the restore next to the state directory; removed once prepared. */
  public static final String MARKER = "state.restored";
  private static final Logger LOG = LoggerFactory.getLogger(RestoredState.class);

  private RestoredState() {}

  /**
   * If {@code dataDir} was restored from a snapshot and not started since, prepares the store.
   *
   * @throws IOException if the directory also holds a Raft log (restore into fresh directories)
   */
  public static void prepare(Path dataDir, CoordStateMachine stateMachine) throws IOException {
    Path marker = dataDir.resolve(MARKER);
    if (!Files.exists(marker)) {
      return;
    }
    Path raft = dataDir.resolve("raft");
    if (Files.isDirectory(raft)) {
      try (Stream<Path> entries = Files.list(raft)) {
        if (entries.findAny().isPresent()) {
          throw new IOException(dataDir + " holds a restored snapshot and a Raft log: restore"
              + " into an empty data directory");
        }
      }
    }
    stateMachine.open();
    try {
      stateMachine.forgetLogPosition();
      LOG.info("starting from a restored snapshot at revision {}", stateMachine.revision());
    } finally {
      stateMachine.closeStore();
    }
    Files.delete(marker);
  }
}
